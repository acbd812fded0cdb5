"""`thaw playtest`: random and exhaustive playthroughs, dead ends, traps, coverage and the CLI."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from game.story.engine import available_choices, choose, start_at
from game.story.loader import load_story
from game.tools.playtest import (
    Progress,
    StateKey,
    exhaustive_playtest,
    format_path,
    random_playtest,
    visit_caps,
)

ROOT = Path(__file__).resolve().parent.parent


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"test setup: {old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def _without_time(report) -> dict:
    data = report.to_dict()
    data.pop("seconds")
    return data


# ---- the engine hook the exhaustive walk relies on -------------------------------------------------


def test_choose_can_be_told_how_chance_falls(mini):
    state = start_at(mini, "ally_scene", seed=1)
    assert choose(mini, state, "gamble", chance=lambda p: True).scene == "end_caught"
    after = choose(mini, state, "gamble", chance=lambda p: False)
    assert after.scene == "vault" and after.draws == 1


# ---- random ---------------------------------------------------------------------------------------


def test_random_playtest_of_the_fixture(mini):
    report = random_playtest(mini, runs=300, seed=0)
    assert not report.failed
    assert report.unreached_scenes == [] and report.unreached_choices == [] and report.unreached_branches == []
    assert sum(e.count for e in report.endings.values()) == 300
    assert all(e.count > 0 for e in report.endings.values())
    assert report.shortest is not None and report.shortest.turns == 2
    assert report.longest is not None and report.longest.turns == 5
    assert report.coverage()["scenes"]["percent"] == 100.0


def test_random_playtest_is_deterministic(mini):
    assert _without_time(random_playtest(mini, 50, seed=9)) == _without_time(random_playtest(mini, 50, seed=9))
    assert _without_time(random_playtest(mini, 50, seed=9)) != _without_time(random_playtest(mini, 50, seed=10))


def test_random_paths_replay_through_the_engine(mini):
    """A reported path (choice ids and chance outcomes) leads to the ending it names."""
    report = random_playtest(mini, 100, seed=3)
    for ending in report.endings.values():
        state = start_at(mini, mini.info.start)
        for step in ending.shortest:
            answers = iter(step.chance)
            state = choose(mini, state, step.choice, chance=lambda p: next(answers))
        assert state.scene == ending.id


def test_random_hit_counts_match_an_independent_count(mini):
    """Hit counts (ChoiceScript's): arrivals, passages shown and choices taken, counted the way the
    game shows them (scene_text), cross-checked move by move."""
    from game.story.engine import scene_text

    arrivals: dict[str, int] = {}
    shown: dict[str, int] = {}
    taken: dict[str, int] = {}

    def note(state):
        arrivals[state.scene] = arrivals.get(state.scene, 0) + 1
        text = scene_text(mini, state)
        for k, passage in enumerate(mini.scenes[state.scene].passage, start=1):
            if passage.text.strip() in text:
                shown[f"{state.scene}#{k}"] = shown.get(f"{state.scene}#{k}", 0) + 1

    def observe(before, choice, after):
        taken[f"{before.scene}.{choice.id}"] = taken.get(f"{before.scene}.{choice.id}", 0) + 1
        note(after)

    report = random_playtest(mini, runs=200, seed=5, observe=observe)
    arrivals[mini.info.start] = arrivals.get(mini.info.start, 0) + 200  # the start scene, once a run
    assert report.scene_hits == arrivals
    assert report.passage_hits == shown and report.choice_hits == taken
    assert sum(report.choice_hits.values()) == sum(report.scene_hits.values()) - 200
    assert report.all_passages == ["hall#1", "hall#2", "ally_scene#1"]
    data = report.to_dict()
    assert data["hits"]["passages"] == {p: shown.get(p, 0) for p in report.all_passages}
    assert data["coverage"]["passages"]["total"] == 3


def test_a_passage_never_shown_is_listed(pack):
    _edit(pack / "one" / "scenes.toml", 'if = "warned and nerve < 5"', 'if = "warned and nerve > 50"')
    report = random_playtest(load_story(pack), runs=100, seed=0)
    assert report.unshown_passages == ["hall#2"] and report.passage_hits.get("hall#2") is None
    assert report.to_dict()["unreached"]["passages"] == ["hall#2"]
    text = report.text(hits=True)
    assert "Passages never shown (1; thaw playtest --prove says whether one can be):\n  hall#2" in text
    assert "passage hall#2" in text and "Hit counts over 100 runs" in text
    assert not report.failed  # random runs cannot tell rare from impossible; --prove can


# ---- exhaustive -----------------------------------------------------------------------------------


def test_exhaustive_playtest_of_the_fixture(mini):
    report = exhaustive_playtest(mini)
    assert not report.failed and not report.truncated
    assert report.states == 10
    assert report.playthroughs == 16
    assert {e.id: e.playthroughs for e in report.endings.values()} == {"end_quiet": 10, "end_rich": 4, "end_caught": 2}
    odds = {e.id: e.probability for e in report.endings.values()}
    assert odds == pytest.approx({"end_quiet": 25 / 32, "end_rich": 5 / 32, "end_caught": 2 / 32})
    assert report.shortest.turns == 2
    assert report.longest.turns == 5 and report.longest.ending == "end_rich"
    assert format_path(report.longest.path) == "peek > wait > talk > gamble[chance: no] > take"
    assert report.taken_branches == {"ally_scene.gamble/branch1", "ally_scene.gamble/goto"}
    assert report.unbounded_loop == () and report.traps == {}


def test_state_key_keeps_only_what_the_future_reads(mini):
    key = StateKey(mini)
    # `warned` and visited("hall") only decide passages: they never split states.
    assert key.describe() == {
        "stats": ["nerve", "trust"],
        "flags": ["has_key"],
        "visits": {"ally_scene": 2},
        "taken": ["start.peek", "start.take_key"],
    }
    assert key.describe("start")["taken"] == ["start.peek", "start.take_key"]
    assert key.describe("hall") == {"stats": ["nerve", "trust"], "flags": ["has_key"], "visits": {"ally_scene": 2},
                                    "taken": ["start.take_key"]}
    assert key.describe("vault") == {"stats": [], "flags": [], "visits": {"ally_scene": 2}, "taken": ["start.take_key"]}
    assert key.describe("end_quiet") == {"stats": [], "flags": [], "visits": {}, "taken": []}
    a = start_at(mini, "hall", seed=1)
    b = a.model_copy(update={"seed": 99, "turn": 7, "visits": {"hall": 5, "start": 3}, "flags": {**a.flags, "warned": True}})
    assert key(a) == key(b)
    assert key(a) != key(a.model_copy(update={"stats": {**a.stats, "nerve": 0}}))


def _brute_force(story, state, depth=0):
    """Every playthrough from `state`, by plain recursion through the engine: {final scene: count}."""
    if story.scenes[state.scene].is_ending:
        return {state.scene: 1}
    options = available_choices(story, state)
    if not options:
        return {f"dead:{state.scene}": 1}
    assert depth < 50, "a loop: brute force cannot count"
    found: dict[str, int] = {}
    for choice in options:
        pending = [()]
        while pending:
            script, asked = pending.pop(), []

            def decide(percent, script=script, asked=asked):
                answer = script[len(asked)] if len(asked) < len(script) else True
                if len(asked) >= len(script) and 0 < percent < 100:
                    pending.append((*asked, False))
                answer = answer if 0 < percent < 100 else percent >= 100
                asked.append(answer)
                return answer

            after = choose(story, state, choice.id, chance=decide)
            for end, n in _brute_force(story, after, depth + 1).items():
                found[end] = found.get(end, 0) + n
    return found


@pytest.mark.parametrize("folder", ["tests/fixtures/mini", "examples/minimal"])
def test_deduplication_loses_no_playthrough(folder):
    """Merging states with the same future must count exactly the playthroughs brute force finds."""
    story = load_story(ROOT / folder)
    report = exhaustive_playtest(story)
    brute = _brute_force(story, start_at(story, story.info.start))
    assert {e.id: e.playthroughs for e in report.endings.values() if e.playthroughs} == brute
    assert report.playthroughs == sum(brute.values())


def test_exact_odds_agree_with_random_play(mini):
    exact = exhaustive_playtest(mini)
    sampled = random_playtest(mini, 4000, seed=11)
    for ending in exact.endings.values():
        assert sampled.endings[ending.id].count / 4000 == pytest.approx(ending.probability, abs=0.03)


def test_visit_caps(pack: Path):
    _edit(pack / "one" / "scenes.toml", 'if = "trust >= 2"', 'if = \'visits("start") >= 3 or visits("hall") > nerve\'')
    story = load_story(pack)
    caps = visit_caps(story, ["start", "hall", "ally_scene"])
    assert caps == {"start": 4, "hall": None, "ally_scene": 2}


def test_every_chance_outcome_is_explored(pack: Path):
    _edit(pack / "two" / "scenes.toml", '    goto = "end_caught"\n    result = "A guard stops you at the stairs."',
          '    goto = "end_caught"\n    result = "A guard stops you at the stairs."\n\n'
          '    [[scene.choice.branch]]\n    if = "chance(100) and chance(40)"\n    goto = "end_quiet"\n')
    story = load_story(pack)
    report = exhaustive_playtest(story)
    assert report.taken_branches == {"ally_scene.gamble/branch1", "ally_scene.gamble/branch2", "ally_scene.gamble/goto"}
    assert not report.failed


def test_truncated_walk_says_so(mini):
    report = exhaustive_playtest(mini, max_states=5)
    assert report.truncated and report.states == 5
    assert report.longest is None
    assert "stopped at --max-states 5" in report.text()


# ---- problems -------------------------------------------------------------------------------------


def test_dead_end_is_reported_with_its_path(pack: Path):
    scenes = pack / "one" / "scenes.toml"
    _edit(scenes, 'if = "trust >= 2"', 'if = "trust >= 3"')
    _edit(scenes, '  goto = "end_quiet"\n  add = { nerve = -9 }', '  goto = "end_quiet"\n  if = "has_key"\n  add = { nerve = -9 }')
    story = load_story(pack)
    for report in (exhaustive_playtest(story), random_playtest(story, 200, seed=1)):
        assert report.failed
        assert list(report.dead_ends) == ["hall"]
        dead = report.dead_ends["hall"]
        assert [s.choice for s in dead.path] == ["wait"]
        assert dead.values["has_key"] is False and dead.values["trust"] == 2
        assert "Dead ends (not an ending, and no choice is available):" in report.text()
        assert "  hall (" in report.text() and ": wait" in report.text()


def test_unreachable_scene_and_choice(pack: Path):
    (pack / "two" / "island.toml").write_text(
        '[[scene]]\nid = "island"\nchapter = "two"\ndate = 1953-05-01\nplace = "x"\nevent = "e-month"\n'
        'text = "x"\n  [[scene.choice]]\n  id = "swim"\n  text = "Swim."\n  goto = "end_quiet"\n'
    )
    report = exhaustive_playtest(load_story(pack))
    assert report.failed
    assert report.unreached_scenes == ["island"] and report.unreached_choices == ["island.swim"]
    assert "  scene island" in report.text() and "  choice island.swim" in report.text()
    assert report.coverage()["scenes"] == {"reached": 7, "total": 8, "percent": 87.5}


def test_trap_and_unbounded_loop(pack: Path):
    scenes = pack / "one" / "scenes.toml"
    corridor = (
        '\n[[scene]]\nid = "corridor"\nchapter = "one"\ndate = 1953-03-06\nplace = "x"\nevent = "e-death"\n'
        'text = "x"\n  [[scene.choice]]\n  id = "pace"\n  text = "Pace."\n  goto = "{goto}"\n'
    )
    _edit(scenes, '  [[scene.choice]]\n  id = "leave"', '  [[scene.choice]]\n  id = "wander"\n  text = "Wander."\n'
          '  goto = "corridor"\n\n  [[scene.choice]]\n  id = "leave"')
    text = scenes.read_text()
    # A corridor that leads back to the hall: play can go on for ever, but nobody is stuck.
    scenes.write_text(text + corridor.format(goto="hall"))
    report = exhaustive_playtest(load_story(pack))
    assert not report.failed
    assert report.longest is None and report.unbounded_loop[0] in ("hall", "corridor")
    assert "Longest playthrough: unbounded" in report.text()
    short = random_playtest(load_story(pack), 50, seed=0, max_turns=2)
    assert short.unfinished > 0 and "reached no ending within 2 turns" in short.text()
    # A corridor that only leads to itself: a trap.
    scenes.write_text(text + corridor.format(goto="corridor"))
    story = load_story(pack)
    report = exhaustive_playtest(story)
    assert report.failed and list(report.traps) == ["corridor"]
    assert [s.choice for s in report.traps["corridor"].path][-1] == "wander"
    random_report = random_playtest(story, 50, seed=0, max_turns=30)
    # Random play stops a run as soon as it enters a scene from which no ending can be reached.
    assert random_report.failed and "corridor" in random_report.traps and random_report.unfinished == 0
    assert "Traps (no ending can ever be reached from here)" in random_report.text()


# ---- progress and CLI ------------------------------------------------------------------------------


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal(mini):
    quiet = io.StringIO()
    random_playtest(mini, 20, progress=Progress(20, "runs", stream=quiet))
    assert quiet.getvalue() == ""
    tty = _Tty()
    bar = Progress(20, "runs", stream=tty)
    bar.update(10, force=True)
    bar.close()
    assert "[###############---------------]  50% 10/20 runs" in tty.getvalue()


def _thaw(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "game", *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_cli_playtest(pack: Path):
    result = _thaw("playtest", "tests/fixtures/mini", "--runs", "200", "--seed", "4")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "200 random runs, seed 4" in result.stdout and result.stderr == ""
    result = _thaw("playtest", "tests/fixtures/mini", "--exhaustive", "--format", "json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["ok"] and data["states"] == 10 and data["coverage"]["endings"]["percent"] == 100.0
    _edit(pack / "one" / "scenes.toml", 'if = "trust >= 2"', 'if = "trust >= 9"')
    result = _thaw("playtest", str(pack), "--exhaustive")
    assert result.returncode == 1 and "choice hall.talk" in result.stdout
    _edit(pack / "one" / "scenes.toml", 'goto = "vault"', 'goto = "nowhere"')
    result = _thaw("playtest", str(pack))
    assert result.returncode == 1 and "unknown scene 'nowhere'" in result.stderr and "Traceback" not in result.stderr
