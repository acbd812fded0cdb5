"""Save slots: names, atomic writes and backups, damage, migrations, story changes, disk errors."""

from __future__ import annotations

import builtins
import datetime as dt
import errno
import json
import os
import shutil
import time
from pathlib import Path

import pytest

from game import saves as saves_mod
from game.cli import main as cli_main
from game.saves import (
    AUTO_SLOTS,
    DamagedSave,
    DiskError,
    InvalidSlotName,
    SaveError,
    SaveStore,
    SlotEmpty,
    WrongStory,
    migrate,
    normalize_slot,
)
from game.story import engine
from game.story.loader import load_story
from game.story.state import GameState

SAVE_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "saves"


@pytest.fixture
def store(tmp_path: Path) -> SaveStore:
    return SaveStore(tmp_path / "saves")


def at_hall(mini) -> GameState:
    state = engine.new_game(mini, seed=7)
    state = engine.choose(mini, state, "peek")
    return engine.choose(mini, state, "take_key")


def at_vault(mini) -> GameState:
    return engine.choose(mini, at_hall(mini), "open_door")


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# ---- basics ----------------------------------------------------------------------------------------


def test_save_and_load_round_trip(store: SaveStore, mini):
    state = at_hall(mini)
    info = store.save(1, mini, state, label="Before the vault", play_seconds=125.4)
    assert (info.name, info.kind, info.label) == ("1", "numbered", "Before the vault")
    assert (info.chapter, info.chapter_number, info.date_text, info.place) == ("The Key", 1, "6 March 1953", "The hall")
    assert info.play_seconds == pytest.approx(125.4)
    assert info.saved_at.tzinfo is not None and info.saved_at.utcoffset() == dt.timedelta(0)
    assert info.damaged is None and info.backup_ok is False
    assert info.title == "Slot 1" and info.play_time == "2 min"
    loaded = store.load("1", mini)
    assert loaded.state == state
    assert loaded.notice is None and loaded.changes == () and not loaded.from_backup
    assert loaded.info == store.list()[0]


def test_the_file_format(store: SaveStore, mini):
    from game import __version__

    store.save(2, mini, at_hall(mini), label="x", play_seconds=3)
    data = json.loads((store.folder / "2.json").read_text(encoding="utf-8"))
    assert data["format"] == saves_mod.FORMAT == 1
    assert data["game_version"] == __version__
    assert data["story"] == {"id": "fixture", "title": "The Test Pack", "version": "1.0.0",
                             "content_hash": mini.content_hash}
    assert dt.datetime.fromisoformat(data["saved_at"]).utcoffset() == dt.timedelta(0)
    assert data["chapter"] == {"id": "one", "number": 1, "title": "The Key"}
    assert (data["date"], data["date_text"], data["place"]) == ("1953-03-06", "6 March 1953", "The hall")
    assert GameState.model_validate(data["state"]) == at_hall(mini)


def test_second_save_keeps_the_first_as_backup(store: SaveStore, mini):
    first, second = at_hall(mini), at_vault(mini)
    store.save(1, mini, first, label="first")
    store.save(1, mini, second, label="second")
    assert files(store.folder) == ["1.json", "1.json.bak"]
    assert store.list()[0].backup_ok
    assert store.load(1, mini).state == second
    backup = store.load_backup(1, mini)
    assert backup.state == first and backup.from_backup and backup.info.label == "first"
    assert "backup of Slot 1" in backup.notice


def test_named_slots_and_listing_order(store: SaveStore, mini):
    state = at_hall(mini)
    for slot in ("zeta", "3", "Alpha Beta", "1"):
        store.save(slot, mini, state)
    store.quicksave(mini, state)
    store.autosave(mini, state)
    assert [i.name for i in store.list()] == ["1", "3", "alpha beta", "zeta", "quick", "auto-1"]
    assert [i.kind for i in store.list()] == ["numbered", "numbered", "named", "named", "quick", "auto"]
    assert store.exists("ALPHA beta") and store.exists(3) and not store.exists(4)
    assert store.quickload(mini).state == state


def test_reserved_names_are_refused_for_save(store: SaveStore, mini):
    for name in ("quick", "Quick", "auto-1", "auto-7"):
        with pytest.raises(InvalidSlotName, match="kept for"):
            store.save(name, mini, at_hall(mini))
    assert not store.folder.exists()


def test_autosave_rotates_over_three_slots(store: SaveStore, mini):
    written = [store.autosave(mini, at_hall(mini), play_seconds=n).name for n in range(5)]
    assert written == ["auto-1", "auto-2", "auto-3", "auto-1", "auto-2"]
    infos = {i.name: i for i in store.list()}
    assert set(infos) == set(AUTO_SLOTS)
    assert {i.play_seconds for i in infos.values()} == {2, 3, 4}
    assert store.newest().name == "auto-2"


def test_autosave_leaves_damaged_slots_alone(store: SaveStore, mini):
    for _ in range(3):
        store.autosave(mini, at_hall(mini))
    (store.folder / "auto-1.json").write_bytes(b"{garbage")
    assert store.autosave(mini, at_vault(mini)).name == "auto-2"
    assert store.autosave(mini, at_vault(mini)).name == "auto-3"
    assert store.autosave(mini, at_vault(mini)).name == "auto-2"
    assert (store.folder / "auto-1.json").read_bytes() == b"{garbage"
    for name in AUTO_SLOTS:
        (store.folder / f"{name}.json").write_bytes(b"")
    with pytest.raises(DamagedSave, match="all three autosave slots"):
        store.autosave(mini, at_hall(mini))


def test_newest_skips_damaged_and_other_stories(store: SaveStore, mini, pack: Path):
    store.save(1, mini, at_hall(mini))
    time.sleep(0.002)
    store.save(2, mini, at_vault(mini))
    assert store.newest().name == "2"
    (store.folder / "3.json").write_text("{")
    os.utime(store.folder / "3.json", (time.time() + 100, time.time() + 100))
    assert store.newest().name == "2"
    assert store.newest(story_id="fixture").name == "2"
    assert store.newest(story_id="thaw") is None
    assert SaveStore(store.folder / "nothing").newest() is None


def test_delete(store: SaveStore, mini):
    store.save(1, mini, at_hall(mini))
    store.save(1, mini, at_hall(mini))
    store.delete("1")
    assert files(store.folder) == [] and not store.exists(1)
    with pytest.raises(SlotEmpty):
        store.delete(1)
    with pytest.raises(SlotEmpty, match="Slot 4 is empty"):
        store.load(4, mini)
    with pytest.raises(SlotEmpty, match="no backup"):
        store.load_backup(4, mini)


def test_labels_are_kept_raw_but_one_line(store: SaveStore, mini):
    info = store.save("m", mini, at_hall(mini), label="[bold red]Ministry[/] <b> \u041c\u043e\u0441\u043a\u0432\u0430")
    assert info.label == "[bold red]Ministry[/] <b> \u041c\u043e\u0441\u043a\u0432\u0430"
    info = store.save("m", mini, at_hall(mini), label="a\x1b[2J\nb\u202e\ud800c" + "x" * 500)
    assert info.label.startswith("a[2J bc") and len(info.label) == saves_mod.MAX_LABEL
    assert store.load("m", mini).info.label == info.label


def test_odd_play_times_become_zero(store: SaveStore, mini):
    for bad in (float("nan"), float("inf"), -5, "soon"):
        assert store.save(1, mini, at_hall(mini), play_seconds=bad).play_seconds == 0


def test_a_state_of_another_story_is_not_saved(store: SaveStore, mini):
    state = at_hall(mini).model_copy(update={"story_id": "thaw"})
    with pytest.raises(WrongStory):
        store.save(1, mini, state)
    assert not store.folder.exists()


def test_stale_temporary_files_are_swept(store: SaveStore, mini):
    store.save(1, mini, at_hall(mini))
    old = store.folder / ".1.json.123.0123abcd.tmp"
    new = store.folder / ".1.json.bak.124.89abcdef.tmp"
    other = store.folder / "notes.txt"
    for p in (old, new, other):
        p.write_text("partial")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    assert [i.name for i in store.list()] == ["1"]
    assert not old.exists() and new.exists() and other.exists()


def test_the_profile_file_is_not_a_slot(store: SaveStore, mini):
    store.save(1, mini, at_hall(mini))
    (store.folder / "profile.json").write_text('{"endings": {}}')
    assert [i.name for i in store.list()] == ["1"]


# ---- slot names --------------------------------------------------------------------------------------

BAD_NAMES = ["../x", "/etc/passwd", "a/b", "..", ".", "a\0b", "x" * 41, "", "   ", "a.b", "C:\\x", "a\\b",
             "~", "profile", "con", "NUL", "lpt1", "x\n", "\u00e9t\u00e9", 0, 10, -1, True, None, 1.5]


@pytest.mark.parametrize("name", BAD_NAMES, ids=repr)
def test_bad_names_are_refused_before_touching_the_disk(tmp_path: Path, monkeypatch, mini, name):
    store = SaveStore(tmp_path / "saves")
    state = at_hall(mini)

    def forbidden(*args, **kwargs):
        raise AssertionError(f"disk touched for {name!r}")

    for attr in ("open", "stat", "lstat", "replace", "unlink", "link", "mkdir", "scandir", "fsync"):
        monkeypatch.setattr(os, attr, forbidden)
    monkeypatch.setattr(builtins, "open", forbidden)
    monkeypatch.setattr(os.path, "lexists", forbidden)
    calls = [
        lambda: store.save(name, mini, state),
        lambda: store.load(name, mini),
        lambda: store.load_backup(name, mini),
        lambda: store.delete(name),
        lambda: store.exists(name),
        lambda: store.restore_backup(name),
        lambda: store.info(name),
    ]
    for call in calls:
        with pytest.raises(InvalidSlotName) as caught:
            call()
        assert isinstance(caught.value, SaveError) and str(caught.value)
    monkeypatch.undo()
    assert files(tmp_path) == []


@pytest.mark.parametrize(
    ("given", "canonical"),
    [("1", "1"), (9, "9"), ("My Game", "my game"), (" x ", "x"), ("a-b_c 9", "a-b_c 9"), ("x" * 40, "x" * 40),
     ("10", "10"), ("auto-2", "auto-2"), ("QUICK", "quick")],
)
def test_good_names(given, canonical):
    assert normalize_slot(given) == canonical


def test_messages_name_the_rule():
    with pytest.raises(InvalidSlotName, match="letters"):
        normalize_slot("../x")
    with pytest.raises(InvalidSlotName, match="at most 40"):
        normalize_slot("x" * 41)
    with pytest.raises(InvalidSlotName, match="empty"):
        normalize_slot("")
    with pytest.raises(InvalidSlotName, match="1 to 9"):
        normalize_slot(10)


# ---- damage -----------------------------------------------------------------------------------------


def _valid_bytes(mini) -> bytes:
    return json.dumps(json.loads((SAVE_FIXTURES / "fixture-v1.0.0.json").read_text())).encode()


def _edit(mini, change) -> bytes:
    data = json.loads(_valid_bytes(mini))
    change(data)
    return json.dumps(data).encode()


DAMAGE = {
    "invalid json": (lambda m: b'{"format": 1, oops}', "not valid JSON"),
    "truncated": (lambda m: _valid_bytes(m)[: len(_valid_bytes(m)) // 2], "cut short"),
    "empty": (lambda m: b"", "empty"),
    "binary": (lambda m: b"\xff\xfe\x00\x01\x9c garbage", "not valid JSON"),
    "not an object": (lambda m: b"[1, 2, 3]", "not a save"),
    "no format": (lambda m: b'{"state": {}}', "no save format number"),
    "future format": (lambda m: _edit(m, lambda d: d.update(format=99)), "newer version of the game"),
    "old format without migration": (lambda m: _edit(m, lambda d: d.update(format=0)), "too old"),
    "wrong type (play time)": (lambda m: _edit(m, lambda d: d.update(play_seconds="long")), "wrong types"),
    "wrong type (stat)": (lambda m: _edit(m, lambda d: d["state"]["stats"].update(nerve="x")), "state.stats.nerve"),
    "wrong type (state)": (lambda m: _edit(m, lambda d: d.update(state=[1])), "wrong types"),
    "nan play time": (lambda m: _valid_bytes(m).replace(b'"play_seconds": 312.5', b'"play_seconds": NaN'), "play_seconds"),
    "missing state": (lambda m: _edit(m, lambda d: d.pop("state")), "'state' is missing"),
    "missing scene": (lambda m: _edit(m, lambda d: d["state"].pop("scene")), "'state.scene' is missing"),
    "unknown state field": (lambda m: _edit(m, lambda d: d["state"].update(cheat=1)), "state.cheat"),
    "naive time": (lambda m: _edit(m, lambda d: d.update(saved_at="2025-01-01T00:00:00")), "saved_at"),
    "oversized": (lambda m: _valid_bytes(m)[:-1] + b" " * saves_mod.MAX_BYTES + b"}", "at most 1 MiB"),
    "deep nesting": (lambda m: b"[" * 100_000 + b"]" * 100_000, "not a save"),
    "huge number": (lambda m: b'{"format": 1' + b"1" * 5000 + b"}", "not valid JSON"),
}


@pytest.mark.parametrize("case", list(DAMAGE))
def test_damaged_slot_is_listed_with_reason_and_backup(store: SaveStore, mini, case):
    make, reason = DAMAGE[case]
    good, newer = at_hall(mini), at_vault(mini)
    store.save(5, mini, good, label="good")
    store.save(5, mini, newer, label="newer")
    bad = make(mini)
    (store.folder / "5.json").write_bytes(bad)

    [info] = store.list()
    assert info.name == "5" and info.damaged and reason in info.damaged
    assert info.backup_ok is True
    assert info.label == "" and info.saved_at is not None

    with pytest.raises(DamagedSave) as caught:
        store.load(5, mini)
    assert caught.value.backup_ok and reason in caught.value.reason
    assert "Slot 5 holds a damaged save" in str(caught.value) and "backup" in str(caught.value)
    assert store.load_backup(5, mini).state == good

    # nothing is overwritten unless the caller asks
    with pytest.raises(DamagedSave, match="not overwritten"):
        store.save(5, mini, newer)
    assert (store.folder / "5.json").read_bytes() == bad
    store.save(5, mini, newer, label="replaced", overwrite_damaged=True)
    assert store.load(5, mini).state == newer
    assert store.load_backup(5, mini).state == good  # the good backup was not replaced by the damage


def test_oversized_file_is_refused_before_parsing(store: SaveStore, mini, monkeypatch):
    store.folder.mkdir(parents=True)
    (store.folder / "1.json").write_bytes(b"{" + b" " * saves_mod.MAX_BYTES + b"}")
    monkeypatch.setattr(saves_mod.fileformat.json, "loads", lambda *a, **k: pytest.fail("parsed an oversized file"))
    monkeypatch.setattr(builtins, "open", lambda *a, **k: pytest.fail("read an oversized file"))
    [info] = store.list()
    assert "1.0 MiB" in info.damaged and not info.backup_ok


def test_reasons_stay_short_and_plain(store: SaveStore, mini):
    data = json.loads(_valid_bytes(mini))
    data["state"]["stats"] = {f"k{n}\x1b[31m" + "x" * 5000: "bad" for n in range(50)}
    store.folder.mkdir(parents=True)
    (store.folder / "1.json").write_text(json.dumps(data))
    [info] = store.list()
    assert len(info.damaged) < 600 and "\x1b" not in info.damaged and "and 47 more" in info.damaged


def test_a_folder_in_place_of_a_slot(store: SaveStore, mini):
    (store.folder / "2.json").mkdir(parents=True)
    [info] = store.list()
    assert "not a regular file" in info.damaged
    with pytest.raises(DamagedSave):
        store.save(2, mini, at_hall(mini))


def test_damaged_without_backup(store: SaveStore, mini):
    store.folder.mkdir(parents=True)
    (store.folder / "7.json").write_text("{")
    [info] = store.list()
    assert info.damaged and not info.backup_ok
    with pytest.raises(DamagedSave) as caught:
        store.load(7, mini)
    assert not caught.value.backup_ok and "backup" not in str(caught.value)
    with pytest.raises(SlotEmpty):
        store.load_backup(7, mini)


def test_restore_backup_keeps_the_damaged_file(store: SaveStore, mini):
    store.save(3, mini, at_hall(mini))
    store.save(3, mini, at_vault(mini))
    (store.folder / "3.json").write_text("{")
    info = store.restore_backup(3)
    assert info.damaged is None
    assert store.load(3, mini).state == at_hall(mini)
    assert (store.folder / "3.json.damaged").read_text() == "{"


def test_damaged_quicksave_is_not_replaced_silently(store: SaveStore, mini):
    store.folder.mkdir(parents=True)
    (store.folder / "quick.json").write_text("[]")
    with pytest.raises(DamagedSave):
        store.quicksave(mini, at_hall(mini))
    store.quicksave(mini, at_hall(mini), overwrite_damaged=True)
    assert store.quickload(mini).state == at_hall(mini)


# ---- migrations -----------------------------------------------------------------------------------


def _from_format_0(data: dict) -> dict:
    """The synthetic format 0 kept story fields flat and called the play time 'playtime'."""
    data["story"] = {
        "id": data.pop("story_id"),
        "title": data.pop("story_title", ""),
        "version": data.pop("story_version"),
        "content_hash": "",
    }
    data["play_seconds"] = data.pop("playtime")
    return data


def test_format_0_fixture_loads_through_the_migration_chain(store: SaveStore, mini, monkeypatch):
    store.folder.mkdir(parents=True)
    shutil.copy(SAVE_FIXTURES / "fixture-format-0.json", store.folder / "old.json")
    [info] = store.list()
    assert "too old" in info.damaged  # no migration from format 0 is shipped

    monkeypatch.setitem(saves_mod.MIGRATIONS, 0, _from_format_0)
    store = SaveStore(store.folder)
    [info] = store.list()
    assert info.damaged is None
    assert (info.label, info.play_seconds, info.story_id, info.story_version) == ("A format-0 save", 312.5, "fixture", "1.0.0")
    assert store.load("old", mini).state == at_hall(mini)
    # saving again writes the current format
    store.save("old", mini, at_hall(mini))
    assert json.loads((store.folder / "old.json").read_text())["format"] == saves_mod.FORMAT


def test_migrate_is_a_pure_ordered_chain():
    order = []

    def step(n):
        def run(d):
            order.append(n)
            d = dict(d)
            d.setdefault("trail", []).append(n)
            return d
        return run

    original = {"format": 0, "nested": {"a": 1}}
    out = migrate(original, migrations={0: step(0), 1: step(1), 2: step(2)}, current=3)
    assert out == {"format": 3, "nested": {"a": 1}, "trail": [0, 1, 2]}
    assert order == [0, 1, 2]
    assert original == {"format": 0, "nested": {"a": 1}}
    out["nested"]["a"] = 2
    assert original["nested"]["a"] == 1
    current = {"format": 3}
    assert migrate(current, migrations={}, current=3) is current


@pytest.mark.parametrize(
    ("data", "message"),
    [({"format": 1}, "too old"), ({"format": 4}, "newer version"), ({"format": "2"}, "no save format"),
     ({"format": True}, "no save format"), ({}, "no save format")],
)
def test_migrate_refuses(data, message):
    with pytest.raises(ValueError, match=message):
        migrate(data, migrations={0: dict, 2: dict}, current=3)


def test_a_migration_that_breaks_is_a_damaged_save(store: SaveStore, mini, monkeypatch):
    monkeypatch.setitem(saves_mod.MIGRATIONS, 0, lambda d: d["no such field"])
    store.folder.mkdir(parents=True)
    shutil.copy(SAVE_FIXTURES / "fixture-format-0.json", store.folder / "old.json")
    [info] = store.list()
    assert "older save format" in info.damaged
    monkeypatch.setitem(saves_mod.MIGRATIONS, 0, lambda d: [d])
    [info] = SaveStore(store.folder).list()
    assert "migration from save format 0 failed" in info.damaged


# ---- fixture saves and story changes ------------------------------------------------------------------


def _install(store: SaveStore, fixture: str, slot: str = "1") -> None:
    store.folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SAVE_FIXTURES / fixture, store.folder / f"{slot}.json")


def test_fixture_v1_0_0_still_loads(store: SaveStore, mini):
    _install(store, "fixture-v1.0.0.json")
    [info] = store.list()
    assert (info.label, info.chapter, info.date_text, info.place) == ("Before the vault", "The Key", "6 March 1953", "The hall")
    assert info.saved_at == dt.datetime(2025, 6, 1, 12, tzinfo=dt.timezone.utc)
    loaded = store.load(1, mini)
    assert loaded.state == at_hall(mini)
    assert loaded.notice is None and loaded.changes == ()


def test_renamed_scene_is_followed(store: SaveStore, mini):
    _install(store, "fixture-renamed-scene.json")
    loaded = store.load(1, mini)
    assert loaded.state.scene == "hall"
    assert loaded.state.visits == {"start": 2, "hall": 1}
    assert loaded.notice is None
    assert "scene 'old_hall' was renamed 'hall'" in loaded.changes
    assert engine.view(mini, loaded.state).place == "The hall"


def test_deleted_scene_falls_back_to_its_chapter_start(store: SaveStore, mini):
    _install(store, "fixture-deleted-scene.json")
    loaded = store.load(1, mini)
    state = loaded.state
    assert state.scene == "ally_scene"  # chapter two's start
    assert state.visits["ally_scene"] == 1
    assert "chapter 2" in loaded.notice and "The Vault" in loaded.notice and "kept" in loaded.notice
    assert state.stats == {"nerve": 5, "trust": 2}  # clamped; 'courage' dropped
    assert state.flags == {"has_key": True, "warned": False}  # 'lost_key' dropped, 'warned' default
    assert state.taken == at_hall(mini).taken and len(state.journal) == 2
    assert {"unknown stat 'courage' dropped", "unknown flag 'lost_key' dropped",
            "stat 'nerve' clamped from 9 to 5", "new flag 'warned' starts false"} <= set(loaded.changes)
    engine.choose(mini, state, "back")  # playable


def test_deleted_scene_of_an_unknown_chapter_goes_to_the_story_start(store: SaveStore, mini):
    data = json.loads((SAVE_FIXTURES / "fixture-deleted-scene.json").read_text())
    data["chapter"]["id"] = "gone"
    store.folder.mkdir(parents=True)
    (store.folder / "1.json").write_text(json.dumps(data))
    loaded = store.load(1, mini)
    assert loaded.state.scene == "start" and "beginning of the story" in loaded.notice


def _rewrite(pack: Path, old: str, new: str) -> None:
    for path in pack.rglob("*.toml"):
        path.write_text(path.read_text().replace(old, new))


def test_a_scene_renamed_after_saving(store: SaveStore, mini, pack: Path):
    store.save(1, mini, at_vault(mini))
    _rewrite(pack, '"vault"', '"strongroom"')
    _rewrite(pack, 'id = "strongroom"\n', 'id = "strongroom"\nrenamed_from = ["vault"]\n')
    changed = load_story(pack)
    assert changed.renames["vault"] == "strongroom"
    state = at_vault(mini).model_copy(update={"taken": {**at_vault(mini).taken, "vault.leave": 1}})
    store.save(2, mini, state)
    loaded = store.load(2, changed)
    assert loaded.state.scene == "strongroom" and loaded.notice is None
    assert loaded.state.visits["strongroom"] == 1 and "vault" not in loaded.state.visits
    assert loaded.state.taken["strongroom.leave"] == 1
    engine.choose(changed, loaded.state, "leave")


def test_a_scene_deleted_after_saving(store: SaveStore, mini, pack: Path):
    store.save(1, mini, at_vault(mini), label="in the vault")
    scenes = (pack / "two" / "scenes.toml").read_text()
    start = scenes.index('[[scene]]\nid = "vault"')
    end = scenes.index("[[scene]]", start + 1)
    (pack / "two" / "scenes.toml").write_text((scenes[:start] + scenes[end:]).replace('goto = "vault"', 'goto = "end_quiet"'))
    (pack / "one" / "scenes.toml").write_text((pack / "one" / "scenes.toml").read_text().replace('goto = "vault"', 'goto = "end_quiet"'))
    changed = load_story(pack)
    assert "vault" not in changed.scenes
    loaded = store.load(1, changed)
    assert loaded.state.scene == "ally_scene" and loaded.notice
    assert loaded.state.stats == at_vault(mini).stats and loaded.state.flags == at_vault(mini).flags


def test_new_stats_and_flags_take_their_defaults(store: SaveStore, mini, pack: Path):
    store.save(1, mini, at_hall(mini))
    manifest = pack / "story.toml"
    manifest.write_text(manifest.read_text().replace(
        "[flags]\n", '[stats.luck]\nlabel = "Luck"\nmin = 0\nmax = 3\nstart = 2\n\n[flags]\nfound_map = true\n'))
    loaded = store.load(1, load_story(pack))
    assert loaded.state.stats["luck"] == 2 and loaded.state.flags["found_map"] is True
    assert loaded.state.stats["nerve"] == at_hall(mini).stats["nerve"]


def test_a_save_of_another_story_is_refused(store: SaveStore, mini, pack: Path):
    store.save(1, mini, at_hall(mini))
    manifest = pack / "story.toml"
    manifest.write_text(manifest.read_text().replace('id = "fixture"', 'id = "other"'))
    with pytest.raises(WrongStory, match="another story.*The Test Pack"):
        store.load(1, load_story(pack))


SHIPPED_FIXTURES = sorted(SAVE_FIXTURES.glob("thaw-v*.json"))


def test_a_fixture_is_kept_for_every_story_version():
    shipped = load_story(Path(__file__).resolve().parent.parent / "scenes")
    names = {p.name for p in SHIPPED_FIXTURES}
    assert {"thaw-v0.1.0.json", f"thaw-v{shipped.info.version}.json"} <= names, (
        "run tests/fixtures/saves/make_shipped_fixture.py after bumping the story version; never delete old ones"
    )


@pytest.mark.parametrize("fixture", SHIPPED_FIXTURES, ids=lambda p: p.name)
def test_shipped_story_fixture(tmp_path: Path, fixture: Path):
    shipped = load_story(Path(__file__).resolve().parent.parent / "scenes")
    store = SaveStore(tmp_path)
    shutil.copy(fixture, tmp_path / "1.json")
    loaded = store.load(1, shipped)
    assert loaded.state.story_id == "thaw" and loaded.state.scene in shipped.scenes
    assert loaded.state.turn == 8 and len(loaded.state.journal) == 8
    assert set(loaded.state.stats) == set(shipped.stats) and set(loaded.state.flags) == set(shipped.flags)
    assert loaded.info.chapter == "The Death at Kuntsevo" and loaded.info.label == "Fixture: the shipped story"
    view = engine.view(shipped, loaded.state)
    assert view.available, "the loaded game can go on"


def test_a_save_made_at_the_old_interim_ending_goes_on_into_1957(tmp_path: Path):
    """0.4.0 stopped at end_interim_1956 (and 0.3.x at end_interim_1954): a game saved there, the
    last place a player of those versions could stand, now resumes at c8_new_year (renamed_from),
    with its stats, flags and journal, and can be played on."""
    shipped = load_story(Path(__file__).resolve().parent.parent / "scenes")
    data = json.loads((SAVE_FIXTURES / "thaw-v0.4.0.json").read_text(encoding="utf-8"))
    for old in ("end_interim_1956", "end_interim_1954"):
        data["state"]["scene"] = old
        data["state"]["flags"]["arrested_1953"] = False
        store = SaveStore(tmp_path)
        (tmp_path / "1.json").write_text(json.dumps(data), encoding="utf-8")
        loaded = store.load(1, shipped)
        assert loaded.state.scene == "c8_new_year", old
        assert loaded.state.stats == {**loaded.state.stats, **{k: v for k, v in data["state"]["stats"].items() if k in shipped.stats}}
        assert engine.view(shipped, loaded.state).available


# ---- the disk says no -----------------------------------------------------------------------------------


def _fail(exc: OSError):
    def run(*args, **kwargs):
        raise exc
    return run


@pytest.mark.parametrize(
    ("attr", "exc", "message"),
    [
        ("open", PermissionError(errno.EACCES, "Permission denied"), "permission denied"),
        ("open", OSError(errno.EROFS, "Read-only file system"), "read-only"),
        ("replace", OSError(errno.ENOSPC, "No space left on device"), "disk is full"),
        ("fsync", OSError(errno.ENOSPC, "No space left on device"), "disk is full"),
        ("replace", PermissionError(errno.EPERM, "Operation not permitted"), "permission denied"),
        ("link", OSError(errno.ENOSPC, "No space left on device"), "disk is full"),
    ],
)
def test_disk_errors_are_plain_save_errors(store: SaveStore, mini, monkeypatch, attr, exc, message):
    store.save(1, mini, at_hall(mini), label="kept")
    before = sorted(files(store.folder))
    good = (store.folder / "1.json").read_bytes()
    monkeypatch.setattr(os, attr, _fail(exc))
    with pytest.raises(DiskError) as caught:
        store.save(1, mini, at_vault(mini))
    assert message in str(caught.value) and "goes on" in str(caught.value)
    monkeypatch.undo()
    assert (store.folder / "1.json").read_bytes() == good
    assert sorted(files(store.folder)) == before  # no temporary file left behind
    # the game goes on: reading still works, and saving works once the disk is back
    assert store.list()[0].label == "kept"
    assert store.load(1, mini).state == at_hall(mini)
    store.save(1, mini, at_vault(mini))
    assert store.load(1, mini).state == at_vault(mini)


def test_link_not_supported_falls_back_to_a_copy(store: SaveStore, mini, monkeypatch):
    store.save(1, mini, at_hall(mini))
    monkeypatch.setattr(os, "link", _fail(PermissionError(errno.EPERM, "Operation not permitted")))
    store.save(1, mini, at_vault(mini))
    assert store.load_backup(1, mini).state == at_hall(mini)
    assert store.load(1, mini).state == at_vault(mini)


def test_folder_under_a_regular_file(tmp_path: Path, mini):
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder")
    store = SaveStore(blocker / "saves")
    with pytest.raises(DiskError, match="not a folder"):
        store.save(1, mini, at_hall(mini))
    with pytest.raises(DiskError):
        store.autosave(mini, at_hall(mini))
    assert store.list() == [] and store.newest() is None and not store.exists(1)
    assert blocker.read_text() == "not a folder"


# ---- thaw saves / thaw play --load -------------------------------------------------------------------


def test_thaw_saves_lists_the_slots(tmp_path: Path, mini, capsys):
    store = SaveStore(tmp_path)
    store.save(1, mini, at_hall(mini), label="Before [the] vault", play_seconds=3725)
    store.save(1, mini, at_hall(mini), label="Before [the] vault", play_seconds=3725)
    store.autosave(mini, at_vault(mini), 10)
    (tmp_path / "broken.json").write_text("{")
    assert cli_main(["saves", "--saves", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"Saves in {tmp_path}" in out
    lines = out.splitlines()
    header = next(line for line in lines if line.startswith("Slot"))
    for column in ("Label", "Chapter", "In-game date", "Saved at", "Play time"):
        assert column in header
    slot1 = next(line for line in lines if line.startswith("Slot 1"))
    assert "Before [the] vault" in slot1 and "1. The Key" in slot1 and "6 March 1953" in slot1 and "1 h 02 min" in slot1
    assert "DAMAGED" in next(line for line in lines if line.startswith("broken"))
    assert "broken: the file is cut short" in out
    assert next(line for line in lines if line.startswith("Autosave 1"))


def test_thaw_saves_empty_and_env(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("THAW_SAVES", str(tmp_path / "none"))
    assert cli_main(["saves"]) == 0
    assert "No saves yet." in capsys.readouterr().out


def test_play_load_checks_the_slot_first(tmp_path: Path, capsys):
    assert cli_main(["play", "--saves", str(tmp_path), "--load", "../x"]) == 2
    assert "--load" in capsys.readouterr().err
    assert cli_main(["play", "--saves", str(tmp_path), "--load", "4"]) == 2
    assert "no save in slot '4'" in capsys.readouterr().err


def test_open_uses_the_default_folder(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("THAW_SAVES", str(tmp_path / "env"))
    assert SaveStore.open().folder == tmp_path / "env"
    assert SaveStore.open(str(tmp_path / "cli")).folder == tmp_path / "cli"
