"""`thaw style`: repeated phrases, forbidden phrases (and their `thaw check` warnings at file:LINE),
scene length outliers, spelling with the story's word list; and the [style] table's messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from game.story.loader import StoryError, load_story
from game.tools.check import check_folder
from game.tools.style.report import style_report
from game.tools.style.repeats import repeated_phrases

ROOT = Path(__file__).resolve().parent.parent


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"test setup: {old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def _style(pack: Path, body: str) -> None:
    with (pack / "story.toml").open("a") as f:
        f.write("\n[style]\n" + body + "\n")


def _line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), start=1) if needle in line)


# ---- repeated phrases -----------------------------------------------------------------------------


def test_a_repeated_phrase_is_listed_once_at_its_longest(pack):
    two = pack / "two" / "scenes.toml"
    phrase = "the grey light of the stairwell"
    _edit(two, 'text = "Orlova slides a folder across the desk."', f'text = "In {phrase}, Orlova waits. Then {phrase} again."')
    _edit(two, 'text = "Shelves of files, floor to ceiling."', f'text = "Shelves of files in {phrase}."')
    _style(pack, "repeats = 3")
    found = repeated_phrases(load_story(pack), 3)
    listed = {r.phrase: r for r in found}
    assert listed[phrase].count == 3 and listed[phrase].scenes == ["ally_scene", "vault"]
    # its parts, used exactly as often, are not listed again; nor are phrases of only small words
    assert "grey light of the" not in listed and "light of the stairwell" not in listed and "of the" not in listed
    assert repeated_phrases(load_story(pack), 4) == []


def test_a_phrase_does_not_run_across_a_full_stop(pack):
    _edit(pack / "two" / "scenes.toml", 'text = "Orlova slides a folder across the desk."',
          'text = "She waits. Then she goes. She waits. Then she goes. She waits. Then she goes."')
    phrases = [r.phrase for r in repeated_phrases(load_story(pack), 3)]
    assert "she waits then" not in phrases and "waits then she" not in phrases


# ---- forbidden phrases ----------------------------------------------------------------------------


def test_check_warns_on_each_forbidden_use_at_its_line(pack):
    two = pack / "two" / "scenes.toml"
    _edit(two, 'result = "You walk quickly."', 'result = "You walk quickly, as if nothing were wrong."')
    _edit(two, 'text = "Shelves of files, floor to ceiling."', 'text = """\nShelves of files. You stand there as\nif waiting."""')
    _style(pack, 'forbid = ["as if"]')
    report = check_folder(pack)
    warnings = [p for p in report.warnings if "forbidden" in p.message]
    assert [(p.line, p.scene, p.message) for p in warnings] == [
        (_line_of(two, "as if nothing"), "ally_scene", "the phrase 'as if' is forbidden by [style] forbid"),
        (_line_of(two, "You stand there as"), "vault", "the phrase 'as if' is forbidden by [style] forbid"),
    ]
    assert all(p.path.endswith("two/scenes.toml") for p in warnings)
    assert report.failed(strict=True) and not report.failed(strict=False)
    assert f"scenes.toml:{_line_of(two, 'as if nothing')}: warning: scene 'ally_scene': the phrase 'as if'" in report.text()


def test_a_forbidden_phrase_matches_whole_words_only(pack):
    _edit(pack / "two" / "scenes.toml", 'result = "You walk quickly."', 'result = "Perhaps Ifeoma was right: hasif, as iffy."')
    _style(pack, 'forbid = ["as if"]')
    assert not [p for p in check_folder(pack).warnings if "forbidden" in p.message]


# ---- lengths ----------------------------------------------------------------------------------------


def test_an_unusually_long_scene_is_named(pack):
    two = pack / "two" / "scenes.toml"
    before = style_report(load_story(pack)).lengths["vault"]
    _edit(two, 'text = "Shelves of files, floor to ceiling."', 'text = "' + "Shelves of files. " * 300 + '"')
    report = style_report(load_story(pack))
    assert report.long == ["vault"] and report.lengths["vault"] == before - 6 + 900 and not report.short
    assert "ally_scene" in report.lengths and not any(load_story(pack).scenes[s].is_ending for s in report.lengths)


# ---- spelling -------------------------------------------------------------------------------------


def test_spelling_finds_a_typo_and_accepts_the_word_list(pack):
    two = pack / "two" / "scenes.toml"
    _edit(two, 'text = "Orlova slides a folder across the desk."',
          'text = "Orlova slides a foldr across the colour-stained desk, centred under the lamp by the draughtsman\'s façade. The Filimonovs\' kommunalka is quiet."')
    unknown = {u.word: u for u in style_report(load_story(pack)).unknown}
    assert unknown["foldr"].items == ["scene:ally_scene"] and unknown["foldr"].count == 1
    assert "kommunalka" in unknown and "Filimonovs" in unknown
    for word in ("colour", "centred", "draughtsman", "façade"):  # British forms, and accents, are accepted
        assert word not in unknown, word
    assert "Orlova" not in unknown  # a codex name (or the fixture lists it)
    (pack / "words.txt").write_text("# names\nFilimonov  kommunalka\n")
    unknown = {u.word for u in style_report(load_story(pack)).unknown}
    assert "foldr" in unknown and "kommunalka" not in unknown and "Filimonovs" not in unknown  # plural of a listed name


def test_the_word_list_path_comes_from_style(pack):
    (pack / "lists").mkdir()
    (pack / "lists" / "names.txt").write_text("foldr\n")
    _edit(pack / "two" / "scenes.toml", "slides a folder", "slides a foldr")
    _style(pack, 'words = "lists/names.txt"')
    report = style_report(load_story(pack))
    assert report.words_listed and "foldr" not in {u.word for u in report.unknown}


@pytest.mark.parametrize("words", ["/etc/words", "../words.txt", "C:words.txt", " "])
def test_a_word_list_outside_the_folder_is_an_error(pack, words):
    _style(pack, f"words = {json.dumps(words)}")
    with pytest.raises(StoryError) as caught:
        load_story(pack)
    (problem,) = caught.value.problems
    assert problem.message.startswith(f"words = {words!r} must be a file inside the story folder")
    assert problem.line == _line_of(pack / "story.toml", "words =")


def test_the_shipped_story_report_is_useful(shipped):
    """The shipped word list is found and does its job: what is left are words nobody listed."""
    report = style_report(shipped)
    assert report.words_listed and report.words_file == "words.txt"
    listed = (ROOT / "scenes" / "words.txt").read_text()
    assert all(u.word not in listed.split() for u in report.unknown)
    assert report.repeats and all(r.count >= shipped.style.repeats for r in report.repeats)


def test_cli_style_text_and_json():
    run = lambda *a: subprocess.run([sys.executable, "-m", "game", "style", *a], capture_output=True,  # noqa: E731
                                    text=True, cwd=ROOT, timeout=120)
    result = run("examples/minimal")
    assert result.returncode == 0, result.stderr
    assert "Repeated phrases (3 to 8 words, used at least 3 times): 1\n     3  your brother's letter" in result.stdout
    assert "every word known" in result.stdout
    data = json.loads(run("examples/minimal", "--format", "json").stdout)
    assert data["repeats"]["phrases"][0] == {"phrase": "your brother's letter", "count": 3,
                                              "scenes": ["m_kitchen", "m_queue", "m_night"]}
    assert run("/does/not/exist").returncode == 1
