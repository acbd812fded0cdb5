"""Tester notes: the bundle (comment, scene, state as a save, transcript) and `thaw notes`."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from game.notes import NoteError, find_note, list_notes, note_state, notes_folder, write_note
from game.saves import SaveStore
from game.story.engine import choose, new_game
from game.story.loader import load_story
from game.tools.transcript import Recording, replay

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "examples" / "minimal"
WHEN = dt.datetime(2026, 3, 5, 9, 30, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def minimal():
    return load_story(MINIMAL)


def _played(story):
    state = new_game(story, seed=1)
    return choose(story, choose(story, state, "listen"), "turn_back")


def test_a_note_bundle_holds_the_comment_the_save_and_the_transcript(tmp_path, minimal):
    state = _played(minimal)
    comment = "Vera's line\x1b[31m reads oddly here.\nAnd a second thought."
    note = write_note(tmp_path, minimal, state, comment, play_seconds=42.5, now=WHEN)
    folder = notes_folder(tmp_path) / "20260305-093000-m_night"
    assert note.folder == folder and note.name == folder.name
    assert sorted(p.name for p in folder.iterdir()) == ["note.json", "save.json", "transcript.json", "transcript.txt"]
    meta = json.loads((folder / "note.json").read_text())
    assert meta["comment"] == comment and meta["scene"] == "m_night" and meta["turns"] == 2
    assert meta["story"] == {"id": "minimal", "title": minimal.info.title, "version": minimal.info.version}
    # the state is an ordinary save
    loaded = SaveStore(folder).load("save", minimal)
    assert loaded.state == state and loaded.info.play_seconds == 42.5
    # the transcript replays to the same scene, and its text is the replay's
    recording = Recording.from_dict(json.loads((folder / "transcript.json").read_text()))
    assert recording.choices == ["listen", "turn_back"]
    played = replay(minimal, recording)
    assert played.ok and (folder / "transcript.txt").read_text() == played.text
    # shown cleaned, kept as typed
    assert note.first_line == "Vera's line[31m reads oddly here." and note.comment == comment
    assert not [p for p in notes_folder(tmp_path).iterdir() if p.name.startswith(".")]


def test_notes_are_listed_oldest_first_and_found_by_number_or_name(tmp_path, minimal):
    state = _played(minimal)
    first = write_note(tmp_path, minimal, state, "one", now=WHEN)
    second = write_note(tmp_path, minimal, state, "two", now=WHEN)  # the same second: a new name
    third = write_note(tmp_path, minimal, new_game(minimal, seed=2), "three", now=WHEN + dt.timedelta(seconds=1))
    assert second.name == first.name + "-2"
    assert [n.comment for n in list_notes(tmp_path)] == ["one", "two", "three"]
    assert find_note(tmp_path, "3") == third and find_note(tmp_path, second.name) == second
    with pytest.raises(NoteError, match=r"There is no note '9' \(3 notes in .*`thaw notes` lists them\)"):
        find_note(tmp_path, "9")
    assert list_notes(tmp_path / "nowhere") == []


def test_a_folder_holds_a_bounded_number_of_notes(tmp_path, minimal, monkeypatch):
    """A served game writes into its visitor's folder: a held key must not fill the disk."""
    import game.notes.bundle as bundle

    monkeypatch.setattr(bundle, "MAX_NOTES", 2)
    for k in range(2):
        write_note(tmp_path, minimal, _played(minimal), f"note {k}", now=WHEN)
    with pytest.raises(NoteError, match=r"already holds 2 notes\. Read them \(`thaw notes`\)"):
        write_note(tmp_path, minimal, _played(minimal), "one too many", now=WHEN)
    assert len(list_notes(tmp_path)) == 2


def test_a_failed_write_leaves_nothing_behind(tmp_path, minimal, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(SaveStore, "save", broken)
    with pytest.raises(NoteError, match="Cannot write a note in .*: No space left on device"):
        write_note(tmp_path, minimal, _played(minimal), "lost", now=WHEN)
    assert list(notes_folder(tmp_path).iterdir()) == []


def test_a_damaged_note_is_listed_as_damaged_and_not_opened(tmp_path, minimal):
    note = write_note(tmp_path, minimal, _played(minimal), "fine", now=WHEN)
    (note.folder / "note.json").write_text("{not json")
    (listed,) = list_notes(tmp_path)
    assert listed.damaged and listed.scene == ""
    with pytest.raises(NoteError, match="cannot be read"):
        note_state(listed, minimal)
    good = write_note(tmp_path, minimal, _played(minimal), "fine", now=WHEN + dt.timedelta(seconds=5))
    (good.folder / "save.json").write_text("{}")
    with pytest.raises(NoteError, match="cannot be opened: .*damaged"):
        note_state(find_note(tmp_path, good.name), minimal)


def test_a_note_opens_on_a_changed_story_as_a_save_would(tmp_path, minimal, pack):
    story = load_story(pack)
    state = choose(story, new_game(story, seed=3), "wait")
    note = write_note(tmp_path, story, state, "hall", now=WHEN)
    scenes = pack / "one" / "scenes.toml"
    for path in (scenes, pack / "two" / "scenes.toml"):
        path.write_text(path.read_text().replace('"hall"', '"big_hall"').replace('visited("hall")', 'visited("big_hall")'))
    scenes.write_text(scenes.read_text().replace('renamed_from = ["old_hall"]', 'renamed_from = ["old_hall", "hall"]'))
    moved, _notice = note_state(note, load_story(pack))
    assert moved.scene == "big_hall" and moved.stats == state.stats


def _thaw(*args, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "game", *args], input=stdin, capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_cli_lists_and_opens_a_note_at_its_scene(tmp_path, minimal):
    saves = tmp_path / "saves"
    assert "No tester notes in" in _thaw("notes", "--saves", str(saves)).stdout
    write_note(saves, minimal, _played(minimal), "The night scene\x07 needs a date.", now=WHEN)
    listed = _thaw("notes", "--saves", str(saves))
    assert listed.returncode == 0
    assert listed.stdout.splitlines() == [
        f"1 tester note in {saves / 'notes'} (thaw notes open N):",
        "    1  2026-03-05 09:30  m_night  (The Radio in the Kitchen, 1953-03-07, turn 2)  \"The night scene needs a date.\"",
    ]
    data = json.loads(_thaw("notes", "--saves", str(saves), "--format", "json").stdout)
    assert data[0]["scene"] == "m_night" and data[0]["comment"] == "The night scene\x07 needs a date."
    opened = _thaw("notes", "open", "1", "--saves", str(saves), "--scenes", str(MINIMAL), "--plain", stdin="q\n")
    assert opened.returncode == 0, opened.stderr
    assert "Note 20260305-093000-m_night: The night scene needs a date." in opened.stdout
    assert "Opening it at 'm_night' (turn 2)" in opened.stdout
    assert minimal.scenes["m_night"].choice[0].text in opened.stdout
    assert _thaw("notes", "open", "--saves", str(saves)).returncode == 2
    wrong = _thaw("notes", "open", "1", "--saves", str(saves), "--plain", stdin="q\n")  # the shipped story
    assert wrong.returncode == 1 and "belongs to story 'minimal', not to 'thaw'" in wrong.stderr
