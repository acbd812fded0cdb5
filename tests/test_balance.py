"""`thaw balance`: chapter-end spreads, what choices gain and cost, flag usage, endings, --strict limits."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from game.story.loader import load_story
from game.story.problems import StoryError
from game.tools.balance import Spread, balance_report, choice_effects, report_text, spread_chart, usage

ROOT = Path(__file__).resolve().parent.parent


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"test setup: {old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def _thaw(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "game", *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_spread_percentiles_and_bounds():
    # values 0..5 of 10 runs: 0 0 0 1 2 2 3 4 5 5
    spread = Spread("nerve", 0, 5, (3, 1, 2, 1, 1, 2))
    assert spread.n == 10
    assert (spread.percentile(0.1), spread.median, spread.percentile(0.9)) == (0, 2, 5)
    assert spread.at_min == 30.0 and spread.at_max == 20.0
    assert spread_chart(spread) == "█▃▅▃▃▅"
    assert spread_chart(Spread("x", 0, 2, (0, 4, 0))) == " █ "


def test_what_each_choice_gains_and_costs(mini):
    effects = {e.key: e for e in choice_effects(mini)}
    assert [k for k, e in effects.items() if e.pure_gain] == ["start.take_key", "start.wait"]
    assert [k for k, e in effects.items() if e.no_effect] == [
        "hall.open_door", "hall.talk", "ally_scene.gamble", "ally_scene.back", "vault.take", "vault.leave"]
    assert effects["start.take_key"].describe() == "start.take_key (nerve +1, has_key = true)"
    assert effects["hall.leave"].costs == ("nerve -9",)
    assert effects["start.peek"].changes == ("warned = true",) and not effects["start.peek"].pure_gain


def test_the_declared_direction_turns_a_gain_into_a_cost(pack: Path):
    _edit(pack / "story.toml", 'help = "How steady your hands are."', 'help = "How steady your hands are."\ngood = "low"')
    effects = {e.key: e for e in choice_effects(load_story(pack))}
    assert effects["start.take_key"].costs == ("nerve +1",) and not effects["start.take_key"].pure_gain
    assert effects["hall.leave"].gains == ("nerve -9",) and effects["hall.leave"].pure_gain
    _edit(pack / "story.toml", 'good = "low"', 'good = "neither"')
    effects = {e.key: e for e in choice_effects(load_story(pack))}
    assert effects["hall.leave"].changes == ("nerve -9",) and not effects["hall.leave"].pure_gain


def test_flags_and_stats_usage(pack: Path):
    assert usage(load_story(pack)).stats_no_passage_reads == ("trust",)
    _edit(pack / "story.toml", "warned = false", "warned = false\nspare = false\nlamp = false")
    _edit(pack / "one" / "scenes.toml", 'set = { warned = true }', 'set = { warned = true, spare = true }')
    _edit(pack / "one" / "scenes.toml", 'if = "trust >= 2"', 'if = "trust >= 2 or lamp"')
    found = usage(load_story(pack))
    assert found.flags_set_never_read == ("spare",)
    assert found.flags_read_never_set == ("lamp",)


def test_chapter_end_spreads_match_the_exact_odds(mini):
    # Chapter one ends when the hall is left. Half of all players leave for home (nerve drops to 0);
    # a quarter open the door with the key (nerve 3), a quarter follow Orlova (nerve 2).
    report = balance_report(mini, runs=4000, seed=5)
    one, two = report.chapters
    assert (one.chapter, two.chapter) == ("one", "two") and one.runs == 4000
    nerve = next(s for s in one.spreads if s.stat == "nerve")
    assert nerve.counts[1] == nerve.counts[4] == nerve.counts[5] == 0
    assert nerve.at_min == pytest.approx(50, abs=3)
    assert nerve.counts[2] / 4000 == pytest.approx(0.25, abs=0.03)
    assert (nerve.median, nerve.percentile(0.9)) == (0, 3)
    assert sum(n for _t, n in report.endings.values()) == 4000
    text = report_text(report)
    assert "End of chapter 1, one (4,000 runs leave it)" in text
    assert "median at min" in text and "Limits: none declared in [balance]" in text
    assert "only gain (no cost to any stat, no branch): 2 (20.0%)" in text


def test_same_seed_same_report(mini):
    a, b = balance_report(mini, 300, seed=2).to_dict(), balance_report(mini, 300, seed=2).to_dict()
    a.pop("seconds"), b.pop("seconds")
    assert a == b


def test_declared_limits_are_checked(pack: Path):
    (pack / "limits.toml").write_text(
        "[balance]\nmax_at_bound = 20\nmedian_inside = true\nmax_pure_gain = 10\nmax_no_effect = 90\nmin_ending = 30\n"
    )
    report = balance_report(load_story(pack), 1000, seed=1)
    kinds = {c.limit for c in report.crossings}
    assert kinds == {"max_at_bound", "median_inside", "max_pure_gain", "min_ending"}
    messages = [c.message for c in report.crossings]
    assert any(m.startswith("at the end of chapter 1 (one), ") and "nerve at its min (0); the limit is 20%" in m
               for m in messages)
    assert "2 of 10 choices (20.0%) only gain; the limit is 10%" in messages
    assert any(m.startswith("ending end_caught is reached by ") for m in messages)
    assert "Limits (max_at_bound, max_no_effect, max_pure_gain, median_inside, min_ending): " in report_text(report)
    _edit(pack / "limits.toml", "max_at_bound = 20", 'max_at_bound = 20\nignore = ["nerve", "trust"]')
    kinds = {c.limit for c in balance_report(load_story(pack), 1000, seed=1).crossings}
    assert kinds == {"max_pure_gain", "min_ending"}


@pytest.mark.parametrize(("toml", "message"), [
    ("[balance]\nmax_at_bound = 120\n", "'max_at_bound' must be at most 100, not 120"),
    ("[balance]\nmax_pure_gain = -1\n", "'max_pure_gain' must be at least 0, not -1"),
    ("[balance]\nmax_at_bounds = 20\n", "unknown field 'max_at_bounds' (did you mean 'max_at_bound'?)"),
    ('[balance]\nignore = ["nerv"]\n', "[balance] ignore names unknown stat 'nerv' (did you mean 'nerve'?)"),
    ("[balance]\nmedian_inside = 1\n", "'median_inside' must be true or false, not 1"),
    ("[balance]\nmax_at_bound = true\n", "'max_at_bound' must be a whole number, not True"),
])
def test_limit_mistakes_are_load_errors(pack: Path, toml: str, message: str):
    (pack / "limits.toml").write_text(toml)
    with pytest.raises(StoryError) as caught:
        load_story(pack)
    assert any(p.message == message and p.path.endswith("limits.toml") and p.line for p in caught.value.problems), \
        caught.value.report()


def test_a_second_balance_table_is_an_error(pack: Path):
    (pack / "a.toml").write_text("[balance]\nmax_at_bound = 20\n")
    (pack / "b.toml").write_text("[balance]\nmax_at_bound = 30\n")
    with pytest.raises(StoryError) as caught:
        load_story(pack)
    assert [p.message for p in caught.value.problems] == [f"a second [balance] table (the first is at {pack / 'a.toml'}:1)"]


def test_cli_balance(pack: Path):
    result = _thaw("balance", "tests/fixtures/mini", "--runs", "200", "--seed", "3", "--strict")
    assert result.returncode == 0, result.stderr  # no limits declared: nothing to cross
    assert "Balance of 'fixture' (The Test Pack 1.0.0): 200 random runs, seed 3" in result.stdout
    (pack / "limits.toml").write_text("[balance]\nmax_pure_gain = 10\n")
    result = _thaw("balance", str(pack), "--runs", "200", "--format", "json")
    assert result.returncode == 0  # limits crossed, but only --strict fails on them
    data = json.loads(result.stdout)
    assert data["runs"] == 200 and [c["limit"] for c in data["crossings"]] == ["max_pure_gain"]
    assert data["choices"]["total"] == 10 and [c["choice"] for c in data["choices"]["pure_gain"]] == ["start.take_key", "start.wait"]
    assert _thaw("balance", str(pack), "--runs", "200", "--strict").returncode == 1


def test_balance_of_the_shipped_story(shipped):
    report = balance_report(shipped, 200, seed=1)
    assert [c.number for c in report.chapters] == sorted(c.number for c in shipped.chapters.values())
    assert all(len(c.spreads) == len(shipped.stats) for c in report.chapters)
    assert "exposure" in {s.stat for s in report.chapters[0].spreads}
    # exposure is declared good = "low": a choice that raises it costs something
    effects = [e for e in report.choices if any(g.startswith("exposure +") for g in e.gains)]
    assert effects == []


def test_the_shipped_story_keeps_its_declared_limits(shipped):
    """scenes/story.toml declares the issue's limits (CI runs `thaw balance scenes --strict` on
    2,000 runs); a smaller sample of the same seeds keeps them too."""
    limits = shipped.balance
    assert (limits.max_at_bound, limits.max_pure_gain, limits.median_inside) == (20, 10, True)
    report = balance_report(shipped, 300)
    assert report.check_limits() == [], [c.message for c in report.check_limits()]
