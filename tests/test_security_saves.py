"""A save from elsewhere (issue 10, findings 4, 7, 9 and 10): strict types, the character rule,
one bad slot never hides the others, another story's save is told apart and never continued, and
two games saving one slot leave no temporary files behind."""

from __future__ import annotations

import io
import json
import multiprocessing
import os
from pathlib import Path

import pytest

from game import saving
from game.plain import PlainGame
from game.saves import DamagedSave, SaveStore, WrongStory, saves_command
from game.story import engine


@pytest.fixture
def store(tmp_path: Path) -> SaveStore:
    return SaveStore(tmp_path / "saves")


def _played(mini):
    state = engine.new_game(mini, seed=7)
    return engine.choose(mini, state, "peek")


def _write(store: SaveStore, slot: str, mini, change=None) -> Path:
    """Save a real game in `slot`, then let `change` edit its JSON (the way a hostile file would)."""
    store.save(slot, mini, _played(mini), label=f"slot {slot}")
    path = store.folder / f"{slot}.json"
    if change is not None:
        data = json.loads(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(json.dumps(data), encoding="utf-8")
    return path


# ---- finding 4: one extreme saved_at ----------------------------------------------------------------


def _extreme_time(data):
    data["saved_at"] = "0001-01-01T00:00:00+23:59"


def test_an_extreme_saved_at_is_one_damaged_slot_and_hides_nothing(store, mini, capsys):
    _write(store, "1", mini)
    _write(store, "2", mini, _extreme_time)
    _write(store, "3", mini)
    infos = {i.name: i for i in store.list()}
    assert set(infos) == {"1", "2", "3"}
    assert infos["2"].damaged and "out of range" in infos["2"].damaged
    assert not infos["1"].damaged and not infos["3"].damaged
    assert store.newest(mini.info.id).name in ("1", "3")  # Continue still finds a good save
    with pytest.raises(DamagedSave):
        store.load(2, mini)
    assert saves_command(str(store.folder)) == 0
    out = capsys.readouterr().out
    assert "Slot 1" in out and "Slot 3" in out and "DAMAGED" in out and "Traceback" not in out


def test_plain_load_without_a_slot_skips_the_damaged_one(store, mini, tmp_path):
    _write(store, "2", mini, _extreme_time)
    _write(store, "1", mini)
    out = io.StringIO()
    game = PlainGame(mini, seed=1, saves_dir=str(store.folder), stdin=io.StringIO(""), stdout=out)
    assert game.cmd_load("") is True
    assert "Loaded Slot 1." in out.getvalue()


def test_a_slot_whose_entry_cannot_be_built_is_shown_damaged(store, mini, monkeypatch):
    for slot in ("1", "2", "3"):
        _write(store, slot, mini)
    real = SaveStore.info

    def broken(self, slot):
        if slot == "2":
            raise OverflowError("a bug in building this entry")
        return real(self, slot)

    monkeypatch.setattr(SaveStore, "info", broken)
    infos = {i.name: i for i in store.list()}
    assert set(infos) == {"1", "2", "3"}
    assert infos["2"].damaged == "it could not be read (OverflowError)"
    assert not infos["1"].damaged and not infos["3"].damaged


# ---- finding 7: a lone surrogate, and the character rule ----------------------------------------------


def _raw_edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_lone_surrogate_in_the_journal_is_a_damaged_save(store, mini):
    path = _write(store, "1", mini)
    _raw_edit(path, '"text":"', '"text":"\\ud800')
    [info] = store.list()
    assert info.damaged and "lone surrogate" in info.damaged and "state.journal.0.text" in info.damaged
    with pytest.raises(DamagedSave):
        store.load(1, mini)


@pytest.mark.parametrize(
    "field, escape",
    [
        ("text", "\\u001b]0;PWNED\\u001b\\\\"),  # window title
        ("text", "\\u001b]52;c;cHduZWQ=\\u0007"),  # clipboard write
        ("result", "\\u001b[2J"),
        ("title", "\\u009b2J"),  # chapter title, shown by the Load screen before anything loads
        ("label", "\\u202e"),
        ("place", "\\u0085"),
        ("text", "\\b"),  # JSON's short escapes: backspace, form feed, carriage return (found by fuzzing)
        ("result", "\\f"),
        ("place", "\\r"),
    ],
)
def test_control_characters_anywhere_in_a_save_make_it_damaged(store, mini, field, escape):
    path = _write(store, "1", mini, lambda d: d["state"]["journal"][0].update(result="x"))
    _raw_edit(path, f'"{field}": "', f'"{field}": "{escape}')
    [info] = store.list()
    assert info.damaged and "which this game never writes" in info.damaged
    assert "\x1b" not in info.damaged and "\x9b" not in info.damaged
    with pytest.raises(DamagedSave):
        store.load(1, mini)


def test_line_breaks_in_prose_are_fine(store, mini):
    path = _write(store, "1", mini, lambda d: d["state"]["journal"][0].update(result="one\n\ntwo\tthree"))
    assert store.load(1, mini).state.journal[0].result == "one\n\ntwo\tthree"
    assert path.exists()


# ---- finding 10: strict types, counts never negative ------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(format=True),
        lambda d: d["state"]["stats"].update(nerve="5"),
        lambda d: d["state"]["flags"].update(has_key="yes"),
        lambda d: d["state"]["flags"].update(has_key=1),
        lambda d: d["state"]["visits"].update(start=-1),
        lambda d: d["state"]["taken"].update({"start.peek": -3}),
        lambda d: d["state"].update(turn=-1),
        lambda d: d["state"]["journal"][0].update(turn=-1),
        lambda d: d["state"].update(seed="7"),
        lambda d: d.update(play_seconds="12"),
        lambda d: d["chapter"].update(number="1"),
        lambda d: d["state"]["stats"].update(nerve=10**20),
    ],
    ids=["format-true", "stat-string", "flag-yes", "flag-one", "negative-visits", "negative-taken",
         "negative-turn", "negative-journal-turn", "seed-string", "seconds-string", "chapter-number-string",
         "huge-stat"],
)
def test_lax_values_are_refused(store, mini, change):
    _write(store, "1", mini, change)
    [info] = store.list()
    assert info.damaged, "a coerced or negative value was accepted"
    with pytest.raises(DamagedSave):
        store.load(1, mini)


# ---- finding 10: a save of another story ------------------------------------------------------------


def test_a_state_of_another_story_under_this_storys_header_is_damaged_and_never_continued(store, mini):
    _write(store, "1", mini, lambda d: d["state"].update(story_id="thaw"))
    [info] = store.list()
    assert info.damaged and "different stories" in info.damaged
    assert store.newest(mini.info.id) is None
    assert saving.newest(store, mini) is None


def test_another_story_with_the_same_title_is_worded_plainly(store, mini, pack):
    store.save(1, mini, _played(mini))
    manifest = pack / "story.toml"
    manifest.write_text(manifest.read_text().replace('id = "fixture"', 'id = "other"'))
    from game.story.loader import load_story

    other = load_story(pack)
    with pytest.raises(WrongStory) as caught:
        store.load(1, other)
    message = str(caught.value)
    assert message == ("This save belongs to another story with the same title, \u201cThe Test Pack\u201d: its story "
                       "id is 'fixture', and the story being played has the id 'other'.")
    assert store.newest(other.info.id) is None  # and Continue does not offer it


def test_another_story_with_another_title_is_named(store, mini, pack):
    store.save(1, mini, _played(mini))
    manifest = pack / "story.toml"
    manifest.write_text(manifest.read_text().replace('id = "fixture"', 'id = "other"')
                        .replace('title = "The Test Pack"', 'title = "Another Pack"'))
    from game.story.loader import load_story

    with pytest.raises(WrongStory, match="^This save belongs to another story, \u201cThe Test Pack\u201d; the story "
                                         "being played is \u201cAnother Pack\u201d.$"):
        store.load(1, load_story(pack))


# ---- finding 9: two games saving one slot -------------------------------------------------------------


def _temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_backup_already_linked_to_the_save_leaves_no_temporary_file(store, mini):
    """The race of two games, made deterministic: the backup is already a link to the save (as
    after the other game's backup step), so renaming the new link over it does nothing."""
    store.save(1, mini, _played(mini))
    store.save(1, mini, _played(mini))
    main, bak = store.folder / "1.json", store.folder / "1.json.bak"
    os.unlink(bak)
    os.link(main, bak)
    store.save(1, mini, _played(mini))
    assert _temp_files(store.folder) == []
    assert store.load(1, mini).state == _played(mini) and store.load_backup(1, mini).state == _played(mini)


def _save_many(folder: str, count: int) -> None:  # in a child process
    from game.saves import SaveStore
    from game.story.loader import load_story

    story = load_story(Path(__file__).resolve().parent / "fixtures" / "mini")
    state = engine.new_game(story, seed=7)
    target = SaveStore(Path(folder))
    for _ in range(count):
        target.save(1, story, state)


def test_two_processes_saving_one_slot_leave_no_temporary_files(store, mini):
    store.save(1, mini, _played(mini))
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    workers = [context.Process(target=_save_many, args=(str(store.folder), 150)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    assert _temp_files(store.folder) == []
    assert sorted(p.name for p in store.folder.iterdir()) == ["1.json", "1.json.bak"]
    assert not store.list()[0].damaged
