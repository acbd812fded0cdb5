"""The plain front end's counterparts of the new screens, through `python -m game --plain`: the
people met, the story so far (back), notices, the chapter card, the endings gallery, the marks of
an earlier playthrough, skipping scenes read before, and the codex that notices."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
PEOPLE = ROOT / "tests" / "fixtures" / "people"
CHAPTERS = ROOT / "tests" / "fixtures" / "chapters"


def play(lines: list[str], *, saves: Path, scenes: Path = MINI) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "game", "--plain", "--scenes", str(scenes), "--seed", "1", "--saves", str(saves)],
        input="".join(f"{line}\n" for line in lines), capture_output=True, text=True, cwd=ROOT, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


@pytest.fixture
def saves(tmp_path: Path) -> Path:
    return tmp_path / "saves"


def test_status_lists_only_the_people_met_with_their_roles_as_written(saves):
    out = play(["status", "1", "status", "1", "status"], saves=saves, scenes=PEOPLE)
    first, corridor, door = out.split("Decisions so far:")[:3]
    assert "Nina Orlova (A typist): 2 of 5" in first and "Belov" not in first
    assert "Sergeant Belov (Presidium guard): not yet met" in corridor  # at 0, never moved: not hostility
    assert "Sergeant Belov (Presidium guard, and your friend): 1 of 5 (+1 with your last choice)" in door
    assert "presidium guard" not in out


def test_a_new_game_after_an_ending_knows_nobody_from_the_last_one(saves):
    play(["1", "1", "1"], saves=saves, scenes=PEOPLE)  # to the ending, meeting Belov
    out = play(["status"], saves=saves, scenes=PEOPLE)
    assert "Nina Orlova" in out and "Belov" not in out


def test_back_shows_the_story_so_far_and_survives_save_and_load(saves):
    out = play(["back", "3", "2", "2", "save 2", "back all"], saves=saves)
    assert "The story so far is empty" in out
    assert "-- Chapter 1: The Key | 5 March 1953 | A corridor near the Kremlin --" in out
    assert "You chose: Look out of the window.\n  Snow on the square. Nothing else." in out
    assert "The story so far: decisions 1 to 3 of 3." in out
    out = play(["load 2", "back 1", "back x"], saves=saves)
    shown = out.split("The story so far:")[1]
    assert shown.startswith(" decision 3 of 3.")
    assert "-- Chapter 1: The Key | 6 March 1953 | The hall --" in shown
    assert "You remember the snow." in shown  # the passage as it was read then
    assert "You chose: Ask Orlova for help." in shown
    assert "Type back, back N (the last N decisions) or back all." in out


def test_notices_follow_the_result_and_can_be_turned_off(saves):
    out = play(["2", "undo", "notices off", "2", "notices"], saves=saves)
    assert "She looks up and nods.\n(Orlova will remember this.)\n" in out
    assert out.count("(Orlova will remember this.)") == 1
    assert "Notices of what your choices move: off." in out
    assert json.loads((saves / "profile.json").read_text())["settings"]["notices"] is False


def test_leaving_a_chapter_prints_its_card_before_the_next_scene(saves):
    out = play(["1", "1"], saves=saves, scenes=CHAPTERS)
    card = out.index("=== End of Chapter 1: The Key ===")
    assert card < out.index("== Chapter 2: The Vault | 5 April 1953 | The vault ==")
    assert "The file:\n  A visitor to the typing pool. Steady under questioning.\n" in out
    assert "What you know:\n  You kept the key.\n" in out
    assert "What you did:\n  > 5 March 1953: Take the key.\n  > 6 March 1953: Go through.\n" in out
    assert "What happened:\n  * 5 March 1953: A death in March\n" in out and "Later in April" not in out
    out = play(["2", "2"], saves=saves, scenes=CHAPTERS)  # an ending closes its chapter too
    assert out.index("=== End of Chapter 1: The Key ===") < out.index("*** THE END: Home Early ***")
    assert "What you know:\n  Your hands are empty.\n" in out


def test_the_endings_gallery_and_the_marks_of_an_earlier_playthrough(saves):
    out = play(["endings", "2", "3"], saves=saves)
    assert "Endings found: 0 of 3. The others, by a hint.\n  [not found] Not found yet.\n  [not found] Find the right file." in out
    assert "Endings found: 1 of 3. The others, by a hint.\n  [found] A Quiet Life (bitter)" in out
    out = play(["2"], saves=saves)  # a second game: the choices of the first are marked
    assert "  2. Wait for Orlova. (chosen before)\n" in out and "  1. Take the key.\n" in out
    assert "  3. Go home. (chosen before)" in out


def test_skip_folds_scenes_read_before_until_look(saves):
    play(["2", "3"], saves=saves)  # the corridor and the hall, then home
    out = play(["skip on", "2", "look"], saves=saves)
    assert "Skipping scenes read before: on." in out
    hall, looked = out.split("== Chapter 1: The Key | 6 March 1953 | The hall ==")[1:3]
    assert "(You have read this scene before: type look to read it again.)" in hall
    assert "A hall with a locked door" not in hall and "  3. Go home. (chosen before)" in hall
    assert "A hall with a locked door at the far end." in looked


def test_the_codex_notices_first_mentions_and_lists_the_newest_first(saves):
    out = play(["codex", "1", "codex"], saves=saves, scenes=PEOPLE)
    office, corridor = out.split("== Chapter 1: The Office | 5 March 1953 | The corridor ==")
    assert "(New in the codex: Nina Orlova.)" in office and "Newest: Nina Orlova" in office
    assert "(New in the codex: Sergeant Belov.)" in corridor and "Newest: Sergeant Belov" in corridor
    assert "- Sergeant Belov: A guard at the Presidium's door." in corridor
