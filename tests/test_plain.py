"""The plain front end, through `python -m game --plain` with piped input (as a script uses it)."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from game.plain import run_plain
from game.reading import plain_paragraphs, plain_text

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"


def play(lines: list[str] | str, *args: str, saves: Path, scenes: Path = MINI) -> subprocess.CompletedProcess[str]:
    text = lines if isinstance(lines, str) else "".join(f"{line}\n" for line in lines)
    return subprocess.run(
        [sys.executable, "-m", "game", "--plain", "--scenes", str(scenes), "--seed", "1", "--saves", str(saves), *args],
        input=text,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


@pytest.fixture
def saves(tmp_path: Path) -> Path:
    return tmp_path / "saves"


def test_prints_header_prose_choices_and_a_prompt(saves):
    result = play([], saves=saves)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "The Test Pack: Moscow, 1953" in out
    assert "== Chapter 1: The Key | 5 March 1953 | A corridor near the Kremlin ==" in out
    # Markdown emphasis is stripped; a paragraph is one line when the output is not a terminal.
    assert "You stand in a long corridor. Orlova is typing behind a half-open door. A key hangs" in out
    assert "**" not in out
    assert "  1. Take the key.\n  2. Wait for Orlova.\n  3. Look out of the window.\n> " in out
    assert "\x1b[" not in out  # no escape sequences, no redraws


def test_end_of_input_exits_with_status_0(saves):
    result = play("2\n", saves=saves)
    assert result.returncode == 0
    assert result.stdout.rstrip().endswith(">")  # the last prompt, then end of input
    assert "Traceback" not in result.stderr


def test_plays_to_an_ending_and_exits_0(saves):
    result = play(["1", "1", "1"], saves=saves)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "The key is heavier than it looks." in out
    assert out.index("The key is heavier than it looks.") < out.index("== Chapter 1: The Key | 6 March 1953 | The hall ==")
    assert "*** THE END: The File ***" in out
    assert "You read the file at the kitchen table." in out
    assert "Nerve: 3 of 5" in out
    assert "Endings found: 1 of 3" in out
    assert json.loads((saves / "profile.json").read_text())["endings"] == {"fixture": ["end_rich"]}


def test_a_locked_choice_is_marked_and_refused(saves):
    result = play(["2", "1", "9", "x"], saves=saves)
    out = result.stdout
    assert "  1. [locked] Open the door. (You have no key.)" in out
    assert "That choice is locked: You have no key." in out
    assert "There is no choice 9. Type 1 to 3." in out
    assert "I don't know 'x'" in out
    assert out.count("== Chapter 1: The Key | 6 March 1953 | The hall ==") == 1  # never moved on
    assert result.returncode == 0


def test_undo_goes_back_repeatedly(saves):
    result = play(["3", "2", "2", "undo", "undo", "undo", "undo", "1"], saves=saves)
    out = result.stdout
    assert "Undone: Ask Orlova for help." in out
    assert "Undone: Wait for Orlova." in out
    assert "Undone: Look out of the window." in out
    assert "There is nothing to undo." in out
    tail = out[out.index("There is nothing to undo."):]
    assert "The key is heavier than it looks." in tail  # after undoing everything, 1 takes the key
    assert result.returncode == 0


def test_note_status_journal_codex_and_help(saves):
    result = play(["2", "note", "status", "journal", "codex", "codex zzz", "help", "look"], saves=saves)
    out = result.stdout
    assert "History note: A death in March" in out
    assert "Date: 5 March 1953" in out
    assert "Disputed: Two fixture sources disagree about the hour." in out
    assert "- Author, A. (2001). A Book. Publisher." in out
    assert "Nerve: 2 of 5" in out and "Nina Orlova (A typist who knows where the keys are): 2 of 5 (+1 with your last choice)" in out
    assert "  * 5 March 1953: A death in March [disputed]" in out
    assert "  > 5 March 1953: You chose: Wait for Orlova." in out
    assert "  -- still ahead of you --" in out
    assert "- Nina Orlova: An invented typist of the fixture story." in out
    assert "No codex entries match." in out
    for command in ("undo", "note", "journal", "status", "codex", "save [SLOT]", "load [SLOT]", "saves", "quit"):
        assert command in out
    assert result.returncode == 0


def test_save_saves_and_load(saves):
    result = play(["saves", "2", "save", "save 4", "saves", "1", "load 4", "load", "load nothing", "quit"], saves=saves)
    out = result.stdout
    assert "There are no saved games yet." in out
    assert "Saved: Quicksave (6 March 1953)." in out
    assert "Saved: Slot 4 (6 March 1953)." in out
    table = out[out.rindex("Slot        Label"):]
    assert re.search(r"^Slot 4 +1\. The Key +6 March 1953 +\d{4}-\d\d-\d\d \d\d:\d\d +0 min$", table, re.M)
    assert re.search(r"^Autosave 1 +1\. The Key +6 March 1953 ", table, re.M)
    assert "Loaded Slot 4." in out
    assert "nothing is empty." in out
    assert "Goodbye." in out
    assert (saves / "4.json").is_file() and (saves / "quick.json").is_file()
    assert result.returncode == 0


def test_load_on_the_command_line_and_undo_after_loading(saves):
    play(["2", "2", "save 5"], saves=saves)
    result = play(["undo", "undo"], "--load", "5", saves=saves)
    out = result.stdout
    assert "Loaded Slot 5." in out
    assert "== Chapter 2: The Vault | 4 April 1953 | Orlova's office ==" in out
    assert "Undone: Ask Orlova for help." in out and "Undone: Wait for Orlova." in out
    assert result.returncode == 0


def test_load_of_an_empty_slot_on_the_command_line_fails_clearly(mini, saves):
    result = play([], "--load", "8", saves=saves)
    assert result.returncode == 2
    assert "there is no save in slot '8'" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    out = io.StringIO()
    assert run_plain(mini, seed=1, saves_dir=str(saves), load_slot="8", stdin=io.StringIO(), stdout=out) == 1
    assert "Slot 8 is empty." in out.getvalue()


def test_a_damaged_save_is_reported_not_loaded(saves):
    saves.mkdir(parents=True)
    (saves / "6.json").write_text("{ not json")
    result = play(["saves", "load 6", "quit"], saves=saves)
    assert re.search(r"^Slot 6 .* DAMAGED$", result.stdout, re.M)
    assert "Slot 6: the file is not valid JSON" in result.stdout
    assert "Slot 6 holds a damaged save" in result.stdout
    assert "load 6 backup" not in result.stdout  # it has no backup to offer
    assert result.returncode == 0


def test_a_broken_story_folder_exits_non_zero_without_a_traceback(tmp_path, saves):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "story.toml").write_text('[story]\nid = "x"\ntitle = "X"\nversion = "1"\nstart = "nowhere"\n[[scene]]\nid = ')
    for args in (["--plain"], []):
        result = subprocess.run(
            [sys.executable, "-m", "game", *args, "--scenes", str(broken), "--saves", str(saves)],
            input="", capture_output=True, text=True, cwd=ROOT, timeout=60,
        )
        assert result.returncode != 0
        assert "Traceback" not in result.stdout + result.stderr
        assert "story.toml" in result.stderr and "TOML syntax error" in result.stderr


def test_a_missing_story_folder_exits_non_zero_without_a_traceback(tmp_path, saves):
    result = play([], saves=saves, scenes=tmp_path / "nothing-here")
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr.strip()


def test_run_plain_in_process(mini, saves):
    out = io.StringIO()
    code = run_plain(mini, seed=1, saves_dir=str(saves), stdin=io.StringIO("1\n2\n"), stdout=out)
    assert code == 0
    assert "*** THE END: A Quiet Life ***" in out.getvalue()


def test_an_unexpected_error_is_a_sentence(mini, saves, monkeypatch, capsys):
    import game.session.playthrough

    def broken(*_args, **_kwargs):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(game.session.playthrough, "choose", broken)
    code = run_plain(mini, seed=1, saves_dir=str(saves), stdin=io.StringIO("1\n"), stdout=io.StringIO())
    assert code == 1
    err = capsys.readouterr().err
    assert "The Thaw stopped because of an unexpected error (RuntimeError: kaboom)" in err
    assert "Traceback" not in err
    assert "kaboom" in (saves / "crash.log").read_text()


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("A **bold** and *italic* and _under_ word.", ["A bold and italic and under word."]),
        ("***both*** and `code` and ~~gone~~", ["both and code and gone"]),
        ("[a link](https://example.org) here", ["a link (https://example.org) here"]),
        ("one\nline\n\nnext", ["one line", "next"]),
        ("# Heading\n- item *one*\n- item two", ["Heading", "- item one", "- item two"]),
        ("snake_case_name and 2*3*4", ["snake_case_name and 2*3*4"]),
        ("---", ["* * *"]),
    ],
)
def test_plain_text_strips_markdown(markdown, expected):
    assert plain_paragraphs(markdown) == expected
    assert plain_text(markdown) == "\n\n".join(expected)


# ---- saves: the table, slot names, damaged slots, disk errors ---------------------------------------


def test_saves_prints_a_table_of_the_slots(fixed_saves):
    result = play(["saves", "quit"], saves=fixed_saves)  # TZ=UTC (fixed_saves): times as written
    out = result.stdout
    assert "Slot              Label                  Chapter       In-game date  Saved at          Play time" in out
    assert "Slot 1            Before the hall        1. The Key    5 March 1953  2025-06-01 12:00  1 h 05 min" in out
    assert re.search(r"^Slot 2 +2025-06-02 09:30 +DAMAGED \(backup OK\)$", out, re.M)
    assert "Slot 3            [bold]x [/] [link=x]y  1. The Key    6 March 1953  2025-06-03 18:45  12 min" in out
    assert "before the purge                         2. The Vault  4 April 1953  2025-06-04 08:00  2 h 40 min" in out
    assert re.search(r"^Quicksave .* 2 h 01 min$", out, re.M) and re.search(r"^Autosave 1 .* 2 h 03 min$", out, re.M)
    assert "  Slot 2: the file is cut short: the save was interrupted or the file was truncated; its backup can be loaded." in out
    assert "(load SLOT loads one; load SLOT backup loads the backup of a damaged one.)" in out


def test_load_names_empty_and_damaged_slots_clearly(fixed_saves):
    result = play(["load 7", "load ../x", "load 2", "load 2 backup", "load before the purge", "quit"], saves=fixed_saves)
    out = result.stdout
    assert "Slot 7 is empty.\nType `saves` to list the saved games." in out
    assert "A save name may use only letters (A-Z), digits, spaces, '_' and '-'; '../x' has other characters." in out
    assert "Slot 2 holds a damaged save: the file is cut short" in out
    assert "Type `load 2 backup` to load its backup." in out
    assert "Loaded the backup of Slot 2, saved 2025-06-02 09:00." in out
    assert "Loaded before the purge." in out
    assert out.rstrip().endswith("Goodbye.")


def test_a_slot_named_like_a_backup_request_is_loaded_as_named(mini, saves):
    from game.saves import SaveStore
    from game.story.engine import new_game

    SaveStore(saves).save("old backup", mini, new_game(mini, 1))
    result = play(["load old backup", "quit"], saves=saves)
    assert "Loaded old backup." in result.stdout


def test_save_names_and_a_damaged_slot_that_is_replaced_only_on_yes(fixed_saves):
    result = play(["save 12 x/y", "save auto-1", "save 2", "no", "save 2", "yes", "save 2"], saves=fixed_saves)
    out = result.stdout
    assert "'12 x/y' has other characters." in out
    assert "'auto-1' is kept for autosaves; choose another name." in out
    assert out.count("Slot 2 holds a damaged save: the file is cut short") == 2  # asked each time
    assert "Replace it with this game (its backup is kept)? Type yes or no.\n> no\nNot saved: Slot 2 was left as it is." in out
    assert "> yes\nSaved: Slot 2 (5 March 1953)." in out
    assert out.endswith("> save 2\nSaved: Slot 2 (5 March 1953).\n> \n")  # no longer damaged: no question
    assert (fixed_saves / "2.json.bak").is_file()
    assert json.loads((fixed_saves / "2.json").read_text())["state"]["scene"] == "start"


def test_end_of_input_at_the_question_is_no(fixed_saves):
    before = (fixed_saves / "2.json").read_bytes()
    result = play(["save 2"], saves=fixed_saves)
    assert "Type yes or no." in result.stdout and result.returncode == 0
    assert (fixed_saves / "2.json").read_bytes() == before


@pytest.mark.parametrize(
    ("name", "code", "said"),
    [("replace", 28, "the disk is full"), ("open", 30, "the disk is read-only"), ("open", 13, "permission denied")],
)
def test_a_disk_that_refuses_saves_is_a_line_and_play_goes_on(mini, saves, monkeypatch, name, code, said):
    import os

    real = getattr(os, name)

    def broken(*args, **kwargs):
        if "saves" in str(args[0]):
            raise OSError(code, os.strerror(code), str(args[0]))
        return real(*args, **kwargs)

    monkeypatch.setattr(os, name, broken)
    out = io.StringIO()
    code_ = run_plain(mini, seed=1, saves_dir=str(saves), stdin=io.StringIO("save\n2\n2\nsave 3\nsaves\nstatus\n"),
                      stdout=out)
    text = out.getvalue()
    assert code_ == 0
    assert f"Could not save to Quicksave: {said}" in text
    assert f"Could not save to Slot 3: {said}" in text
    assert text.count("(Autosave failed:") == 1 and said in text.split("(Autosave failed:")[1].splitlines()[0]
    assert "Decisions so far: 2" in text  # the game went on
    assert "There are no saved games yet." in text


def test_an_unreadable_save_folder_is_a_line(mini, saves, monkeypatch):
    import errno
    import os

    saves.mkdir()
    real = os.scandir

    def denied(path="."):
        if "saves" in str(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", denied)
    out = io.StringIO()
    assert run_plain(mini, seed=1, saves_dir=str(saves), stdin=io.StringIO("saves\n1\n"), stdout=out) == 0
    assert f"Cannot read the save folder {saves}: permission denied." in out.getvalue()
    assert "The key is heavier than it looks." in out.getvalue()


def test_delete_asks_first_and_restore_puts_a_good_backup_back(fixed_saves):
    result = play(["delete 1", "no", "delete 7", "delete ../x", "delete", "restore 2", "load 2", "delete 1", "yes",
                   "saves", "quit"], saves=fixed_saves)
    out = result.stdout
    assert result.returncode == 0 and "Traceback" not in out + result.stderr
    assert "Delete Slot 1 and its backup for good? Type yes or no." in out
    assert "Not deleted: Slot 1 was left as it is." in out
    assert "Slot 7 is empty." in out
    assert "'../x' has other characters" in out
    assert "Which one? Type `delete SLOT`; `saves` lists them." in out
    assert "Restored the backup of Slot 2" in out and "Type `load 2` to play it." in out
    assert "Deleted Slot 1." in out
    assert not (fixed_saves / "1.json").exists() and (fixed_saves / "2.json").exists()
    table = out[out.rindex("Slot   "):]
    slot2 = next(line for line in table.splitlines() if line.startswith("Slot 2 "))
    assert "The first try" in slot2 and "DAMAGED" not in slot2  # slot 2 is whole again
