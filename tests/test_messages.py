"""Messages a new writer tripped over (issue 15): each broken pack (examples/minimal with one
mistake a writer made) gets one clear message at the right file and line, and nothing else."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from game.story.loader import StoryError, load_story

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "examples" / "minimal"
SCENES = Path("01-march") / "scenes.toml"


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    pack = tmp_path / "pack"
    shutil.copytree(MINIMAL, pack)
    path = pack / SCENES
    text = path.read_text()
    assert old in text, f"test setup: {old!r} not in the example"
    path.write_text(text.replace(old, new, 1))
    return pack


def _problems(pack: Path) -> list[tuple[str, int, str]]:
    with pytest.raises(StoryError) as caught:
        load_story(pack)
    return [(Path(p.path).relative_to(pack).as_posix(), p.line, p.message) for p in caught.value.problems]


KITCHEN_DATE = "date = 1953-03-06\n"


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        # a quoted date was silently accepted, although the guide says it is an error
        (KITCHEN_DATE, 'date = "1953-03-06"\n', 7,
         "'date' must be a TOML date, without quotes: write date = 1953-03-06, "
         "not date = \"1953-03-06\" (in quotes it is text)"),
        # a date with a time printed Python's datetime.datetime(1953, 3, 6, 10, 0)
        (KITCHEN_DATE, "date = 1953-03-06T10:00:00\n", 7,
         "'date' is a day, without a time: write date = 1953-03-06, not 1953-03-06T10:00:00"),
        # an unclosed quote printed the parser's raw "Illegal character '\n'"
        ('place = "A communal kitchen, Moscow"', 'place = "A communal kitchen, Moscow', 8,
         "TOML syntax error: a quoted text is not closed on this line: add the closing \" (or write text over "
         "several lines between \"\"\" and \"\"\")"),
        # a date that is no day gave "Expected newline or end of document after a statement"
        (KITCHEN_DATE, "date = 1953-13-06\n", 7,
         "TOML syntax error: something unexpected follows the value on this line: put text in quotes, write "
         "dates as real days (1953-03-05), and give each key = value its own line"),
        # `if = "family = 5"` said only "cannot read ... column 8"
        ('if = "kept_letter"', 'if = "vera = 5"', 49,
         "in condition: cannot read the condition 'vera = 5' at column 6: to compare, write == "
         "(a single = assigns, and a condition only compares), e.g. 'family == 5'"),
        # text without quotes gave the parser's bare "Invalid value"
        ('place = "A communal kitchen, Moscow"', "place = A communal kitchen", 8,
         "TOML syntax error: the value is not one TOML can read: put text in quotes; write true, false, numbers "
         "and dates (1953-03-05) without quotes"),
    ],
    ids=["quoted-date", "date-with-time", "unclosed-quote", "impossible-date", "single-equals", "unquoted-text"],
)
def test_one_mistake_one_clear_message(tmp_path, old, new, line, message):
    pack = _broken(tmp_path, old, new)
    assert _problems(pack) == [(SCENES.as_posix(), line, message)]
    assert "datetime." not in message and "Illegal character" not in message


def test_a_broken_scene_raises_no_unknown_scene_errors_elsewhere(tmp_path):
    """m_kitchen is the start scene, a chapter's start, and a goto of no one: its bad date is the only
    error (before, the start and the chapter also said it did not exist)."""
    pack = _broken(tmp_path, KITCHEN_DATE, 'date = "1953-03-06"\n')
    assert [p[2] for p in _problems(pack)] == [_problems(pack)[0][2]] and len(_problems(pack)) == 1
    # and the gotos to a scene whose file does not parse at all
    path = pack / SCENES
    text = path.read_text().replace('date = "1953-03-06"\n', KITCHEN_DATE)
    head, sep, tail = text.partition('id = "m_queue"')
    (pack / "01-march" / "queue.toml").write_text("[[scene]]\n" + sep + tail.split("[[scene]]")[0] + "\nplace = 'oops\n")
    path.write_text(head.rsplit("[[scene]]", 1)[0] + "[[scene]]" + tail.split("[[scene]]", 1)[1])
    problems = _problems(pack)
    assert len(problems) == 1 and problems[0][0] == "01-march/queue.toml", problems


def test_a_misspelt_field_does_not_hide_the_scenes_other_errors(tmp_path):
    pack = _broken(tmp_path, 'goto = "m_night"\n  result = "It takes you',
                   'goto = "m_nihgt"\n  lockd = "Not now."\n  result = "It takes you')
    problems = _problems(pack)
    text = (pack / SCENES).read_text().splitlines()
    assert problems == [
        (SCENES.as_posix(), text.index('  goto = "m_nihgt"') + 1, "goto names unknown scene 'm_nihgt' (did you mean 'm_night'?)"),
        (SCENES.as_posix(), text.index('  lockd = "Not now."') + 1, "unknown field 'lockd' (did you mean 'locked'?)"),
    ]


def test_check_of_a_folder_that_does_not_exist_names_it():
    result = subprocess.run([sys.executable, "-m", "game", "check", "/does/not/exist"], capture_output=True,
                            text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 1
    assert "/does/not/exist: this story folder does not exist" in result.stdout + result.stderr


def test_renaming_the_scene_being_played_under_watch_says_what_happened(pack):
    """Under --watch nothing was saved: the notice must not say "since this game was saved"."""
    from game.story.engine import start_at
    from game.ui.watch import carry_over

    old = load_story(pack)
    state = start_at(old, "hall", seed=1)
    for path in (pack / "one" / "scenes.toml", pack / "two" / "scenes.toml"):
        path.write_text(path.read_text().replace('"hall"', '"big_hall"').replace('visited("hall")', 'visited("big_hall")'))
    new = load_story(pack)
    moved, notice = carry_over(old, new, state)
    assert notice is not None and "saved" not in notice
    assert notice == (f"The scene you were playing, 'hall', is no longer in the story (renamed or removed while you "
                      f"played): you resume at '{moved.scene}'. To keep a player's place when you rename a scene, "
                      "add renamed_from = [\"hall\"] to it.")
