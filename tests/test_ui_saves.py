"""The Save and Load screens, quicksave and quickload, Continue, autosave, and save errors in the
Textual UI (the plain front end's are in test_plain.py; the store itself in test_saves*.py)."""

from __future__ import annotations

import errno
import json
import os
import threading
from pathlib import Path

import pytest
from textual.widgets import Input

from game.saves import SaveStore, format_saved_at
from game.story.engine import choose
from game.story.engine import new_game as fresh
from game.ui.app import create_app
from game.ui.screens.help import HelpScreen
from game.ui.screens.message import ConfirmScreen, MessageScreen
from game.ui.screens.play import PlayScreen
from game.ui.screens.saves import BackupScreen, LoadScreen, SaveScreen
from game.ui.screens.title import TitleScreen
from game.ui.widgets.slots import NEW_SLOT, SlotList

MARKUP_LABELS = ("[/]", "[bold]x", "[link=x]y")


def screen_text(app) -> str:
    update = app.screen._compositor.render_full_update()
    return "\n".join("".join(segment.text for segment in line) for line in update.strips)


def flat(app) -> str:
    """What the top screen says: its rows and messages, each with line breaks and runs of spaces
    made single spaces (a wrapped sentence reads as one)."""
    from textual.widgets import Static

    from game.ui.widgets.slots import SlotList

    parts = [str(w.render()) for w in app.screen.query(Static)]
    for menu in app.screen.query(SlotList):
        parts += [str(menu.get_option_at_index(k).prompt) for k in range(menu.option_count)]
    return " ".join(" ".join(parts).split())


@pytest.fixture
def saves(tmp_path: Path) -> Path:
    return tmp_path / "saves"


@pytest.fixture
def notes(monkeypatch):
    """Every toast the app shows: (message, title, severity, markup)."""
    from game.ui.app import ThawApp

    shown: list[tuple[str, str, str, bool]] = []
    original = ThawApp.notify

    def notify(self, message, *, title="", severity="information", timeout=None, markup=True):
        shown.append((message, title, severity, markup))
        return original(self, message, title=title, severity=severity, timeout=timeout, markup=markup)

    monkeypatch.setattr(ThawApp, "notify", notify)
    return shown


async def settle(pilot) -> None:
    await pilot.pause()
    app = pilot.app
    if app.workers:
        await app.workers.wait_for_complete()
    await pilot.pause()


async def new_game(pilot) -> None:
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(pilot.app.screen, PlayScreen)


async def open_save(pilot) -> SaveScreen:
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert isinstance(pilot.app.screen, SaveScreen)
    return pilot.app.screen


async def open_load(pilot) -> LoadScreen:
    await pilot.press("l")
    await settle(pilot)
    assert isinstance(pilot.app.screen, LoadScreen)
    return pilot.app.screen


def highlight(screen, slot: str) -> None:
    menu = screen.query_one("#slots", SlotList)
    menu.highlighted = menu.index_of(slot)


def damage_with_markup(folder: Path, slot: str, story) -> None:
    """A save whose damage reason quotes a field name that is Textual markup."""
    store = SaveStore(folder)
    store.save(slot, story, fresh(story, 1))
    path = folder / f"{slot}.json"
    data = json.loads(path.read_text())
    data["state"]["[bold]x"] = 1  # unknown fields inside state make the file damaged
    path.write_text(json.dumps(data))


# ---- 1. markup in labels and reasons is text ---------------------------------------------------------


async def test_markup_in_labels_and_damage_reasons_is_shown_as_typed(mini, saves, notes):
    store = SaveStore(saves)
    start = fresh(mini, 1)
    for slot, label in zip(("1", "2", "3"), MARKUP_LABELS):
        store.save(slot, mini, start, label=label)
    store.save("named one", mini, start, label="[/bold][red]")
    damage_with_markup(saves, "4", mini)
    assert store.info("4").damaged and "[bold]x" in store.info("4").damaged
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await open_load(pilot)
        text = flat(app)
        for label in (*MARKUP_LABELS, "[/bold][red]"):
            assert f"\u201c{label}\u201d" in text
        assert "'state.[bold]x': Extra inputs are not permitted" in text
        highlight(app.screen, "4")
        await pilot.pause()
        await pilot.press("enter")  # no backup: the reason again, in the info line
        await pilot.pause()
        assert "Slot 4 holds a damaged save (the save data" in flat(app)
        await pilot.press("escape")
        await pilot.pause()
        await new_game(pilot)
        await open_save(pilot)
        text = flat(app)
        for label in (*MARKUP_LABELS, "[/bold][red]"):
            assert f"\u201c{label}\u201d" in text
        assert "[bold]x': Extra inputs" in text
        highlight(app.screen, "1")
        await pilot.press("enter")  # overwrite? The question quotes the label.
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Slot 1 holds \u201c[/]\u201d" in flat(app)
        await pilot.press("n")
        await pilot.pause()
        # a label typed with markup is saved and shown raw
        label = app.screen.query_one("#save-label", Input)
        label.value = "[bold]typed[/] [link=x]y"
        highlight(app.screen, "5")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert json.loads((saves / "5.json").read_text())["label"] == "[bold]typed[/] [link=x]y"
        app.load_game("4")  # a damaged slot without a backup: a toast quoting the reason
        await settle(pilot)
        assert app.errors == []
    assert any("[bold]x" in message and not markup for message, _t, _s, markup in notes)
    assert all(not markup for message, *_rest, markup in notes if "[" in message)


# ---- 2. the Save screen ---------------------------------------------------------------------------


async def test_save_screen_lists_slots_and_saves_with_the_default_label(mini, saves):
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test(size=(100, 40)) as pilot:
        await new_game(pilot)
        screen = await open_save(pilot)
        text = flat(app)
        for n in range(1, 10):
            assert f"Slot {n} empty" in text
        assert "New named slot\u2026" in text
        assert screen.query_one("#save-label", Input).value == "Chapter 1: The Key, 5 March 1953"
        assert screen.query_one("#slots", SlotList).current.slot == "1"  # the first empty slot
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
    saved = json.loads((saves / "1.json").read_text())
    assert saved["label"] == "Chapter 1: The Key, 5 March 1953"
    assert saved["state"]["scene"] == "start"


async def test_save_screen_label_is_typed_and_enter_in_it_saves(mini, saves):
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test() as pilot:
        await new_game(pilot)
        await pilot.press("2")
        await open_save(pilot)
        highlight(app.screen, "3")
        await pilot.press("tab")  # to the label (its text selected: typing replaces it)
        await pilot.pause()
        assert app.focused.id == "save-label"
        await pilot.press(*"quiet now", "enter")  # q types a q here, it does not close
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
    assert json.loads((saves / "3.json").read_text())["label"] == "quiet now"


async def test_overwriting_a_slot_asks_first(mini, saves):
    store = SaveStore(saves)
    store.save("2", mini, fresh(mini, 1), label="the old one")
    before = (saves / "2.json").read_bytes()
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test() as pilot:
        await new_game(pilot)
        await pilot.press("2")
        await open_save(pilot)
        highlight(app.screen, "2")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Overwrite Slot 2?" in screen_text(app)
        assert "Slot 2 holds \u201cthe old one\u201d, Chapter 1: The Key, 5 March 1953, saved" in flat(app)
        await pilot.press("n")  # no: nothing written, the Save screen is back
        await pilot.pause()
        assert isinstance(app.screen, SaveScreen)
        assert (saves / "2.json").read_bytes() == before
        await pilot.press("enter", "y")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
    assert json.loads((saves / "2.json").read_text())["state"]["scene"] == "hall"
    assert (saves / "2.json.bak").read_bytes() == before  # the replaced save is the backup


async def test_a_damaged_slot_is_replaced_only_when_the_player_says_so(mini, saves):
    store = SaveStore(saves)
    store.save("4", mini, fresh(mini, 1), label="good")
    store.save("4", mini, fresh(mini, 1), label="good, later")  # the first becomes the backup
    (saves / "4.json").write_text('{"format": 1, "game_version": "0.1"')  # cut short
    backup = (saves / "4.json.bak").read_bytes()
    # a good save whose label says "damaged" is not a damaged save
    store.save("5", mini, fresh(mini, 1), label="damaged goods")
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test(size=(100, 40)) as pilot:
        await new_game(pilot)
        await open_save(pilot)
        assert "DAMAGED the file is cut short" in flat(app)
        highlight(app.screen, "5")
        await pilot.press("enter")
        await pilot.pause()
        assert "Overwrite Slot 5?" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        highlight(app.screen, "4")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Replace a damaged save?" in screen_text(app)
        assert "Slot 4 holds a damaged save (the file is cut short" in flat(app)
        assert "Its backup (the save before it) is kept." in flat(app)
        await pilot.press("escape")  # no
        await pilot.pause()
        assert SaveStore(saves).info("4").damaged
        await pilot.press("enter", "y")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
    info = SaveStore(saves).info("4")
    assert info.damaged is None and info.label == "Chapter 1: The Key, 5 March 1953"
    assert (saves / "4.json.bak").read_bytes() == backup  # the good backup stays


async def test_a_new_named_slot_refuses_invalid_names_with_the_reason(mini, saves):
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test(size=(100, 40)) as pilot:
        await new_game(pilot)
        screen = await open_save(pilot)
        name = screen.query_one("#slot-name", Input)
        assert not name.display
        highlight(screen, NEW_SLOT)
        await pilot.press("enter")
        await pilot.pause()
        assert name.display and app.focused is name
        for bad, reason in (
            ("../x", "A save name may use only letters (A-Z), digits, spaces, '_' and '-'; '../x' has other characters."),
            ("[/]", "'[/]' has other characters."),
            ("quick", "'quick' is kept for quick saves; choose another name."),
            ("auto-2", "'auto-2' is kept for autosaves; choose another name."),
            ("x" * 41, "at most 40 characters"),
        ):
            name.value = bad
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, SaveScreen), bad
            assert reason in flat(app), bad
            assert screen.query_one("#saves-info").has_class("error")
        name.value = "Before The Purge"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
    assert (saves / "before the purge.json").is_file()


async def test_an_existing_named_slot_is_listed_and_overwriting_it_asks(mini, saves):
    SaveStore(saves).save("my game", mini, fresh(mini, 1), label="mine")
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test(size=(100, 40)) as pilot:
        await new_game(pilot)
        screen = await open_save(pilot)
        assert "my game \u201cmine\u201d" in flat(app)
        highlight(screen, NEW_SLOT)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*"My Game", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and "Overwrite my game?" in screen_text(app)


# ---- 3. the Load screen ---------------------------------------------------------------------------


async def test_load_screen_rows_show_every_field(mini, fixed_saves):
    app = create_app(mini, seed=1, saves_dir=fixed_saves)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await open_load(pilot)
        text = screen_text(app)
        lines = [line.strip("│ ") for line in text.splitlines()]
        slot1 = next(k for k, line in enumerate(lines) if line.startswith("Slot 1 "))
        assert "\u201cBefore the hall\u201d" in lines[slot1]
        assert lines[slot1].endswith(format_saved_at(SaveStore(fixed_saves).info("1").saved_at))
        assert "Chapter 1: The Key · 5 March 1953" in lines[slot1 + 1]
        assert lines[slot1 + 1].endswith("played 1 h 05 min")
        damaged = next(line for line in lines if line.startswith("Slot 2 "))
        assert "DAMAGED  the file is cut short" in damaged
        assert "backup OK" in text
        assert "\u201c[bold]x [/] [link=x]y\u201d" in text
        # newest first
        order = [t for t in ("Autosave 1", "Quicksave", "before the", "Slot 3", "Slot 2", "Slot 1") if t in text]
        assert sorted(order, key=text.index) == order


async def test_loading_a_save_from_the_title(mini, fixed_saves):
    app = create_app(mini, seed=1, saves_dir=fixed_saves)
    async with app.run_test() as pilot:
        await pilot.pause()
        screen = await open_load(pilot)
        highlight(screen, "before the purge")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert app.state.scene == "ally_scene"
        assert app.play_base == 9600


async def test_a_damaged_slot_offers_its_backup_to_load(mini, fixed_saves, notes):
    app = create_app(mini, seed=1, saves_dir=fixed_saves)
    async with app.run_test() as pilot:
        await pilot.pause()
        screen = await open_load(pilot)
        highlight(screen, "2")
        await settle(pilot)
        assert screen.check_action("load_backup", ()) and screen.check_action("restore_backup", ())
        assert "b Load backup" in screen_text(app).splitlines()[-1]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BackupScreen)
        assert "Slot 2 holds a damaged save: the file is cut short" in flat(app)
        await pilot.click("#load")
        await settle(pilot)
        # the backup was the game at its start; loading it is said in a message to dismiss
        assert isinstance(app.screen, MessageScreen)
        assert "Loaded the backup of Slot 2, saved 2025-06-02" in flat(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.state.scene == "start"
    assert SaveStore(fixed_saves).info("2").damaged  # loading the backup leaves the slot as it is


async def test_b_loads_the_backup_and_r_restores_it(mini, fixed_saves):
    app = create_app(mini, seed=1, saves_dir=fixed_saves)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = await open_load(pilot)
        highlight(screen, "3")  # not damaged: b and r do nothing and are not offered
        await pilot.pause()
        assert not screen.check_action("load_backup", ())
        assert "Load backup" not in screen_text(app).splitlines()[-1]
        await pilot.press("b", "r")
        await pilot.pause()
        assert isinstance(app.screen, LoadScreen)
        highlight(screen, "2")
        await pilot.press("r")
        await pilot.pause()
        assert "Slot 2 is back to its backup, saved 2025-06-02" in flat(app)
        assert "DAMAGED" not in screen_text(app)
        assert (fixed_saves / "2.json.damaged").is_file()
        assert screen.query_one("#slots", SlotList).current.slot == "2"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen) and app.state.scene == "start"


async def test_b_on_a_damaged_slot_loads_its_backup(mini, fixed_saves):
    app = create_app(mini, seed=1, saves_dir=fixed_saves)
    async with app.run_test() as pilot:
        await pilot.pause()
        screen = await open_load(pilot)
        highlight(screen, "2")
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, MessageScreen)
        await pilot.press("enter")
        assert app.state.scene == "start"


async def test_a_damaged_slot_without_a_backup_says_so(mini, saves):
    saves.mkdir()
    (saves / "7.json").write_text("")
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = await open_load(pilot)
        assert "DAMAGED  the file is empty" in screen_text(app)
        assert "no usable backup" in screen_text(app)
        assert not screen.check_action("load_backup", ())
        await pilot.press("enter", "b", "r")
        await pilot.pause()
        assert isinstance(app.screen, LoadScreen)
        assert "Slot 7 holds a damaged save (the file is empty) and has no usable backup. d deletes it." in flat(app)


@pytest.mark.parametrize("key", ["d", "delete"])
async def test_delete_asks_then_removes_the_slot_and_its_backup(mini, fixed_saves, key):
    app = create_app(mini, seed=1, saves_dir=fixed_saves)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = await open_load(pilot)
        highlight(screen, "1")
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Delete Slot 1?" in screen_text(app)
        assert "Slot 1 holds \u201cBefore the hall\u201d" in flat(app)
        await pilot.press("n")
        await pilot.pause()
        assert (fixed_saves / "1.json").is_file()
        await pilot.press(key, "y")
        await pilot.pause()
        assert isinstance(app.screen, LoadScreen)
        assert "Deleted Slot 1." in flat(app)
        assert "Before the hall" not in screen_text(app)
        highlight(screen, "2")  # a damaged slot can be deleted too, backup and all
        await pilot.press(key)
        await pilot.pause()
        assert "Slot 2 holds a damaged save. Delete it and its backup?" in flat(app)
        await pilot.press("y")
        await pilot.pause()
    assert not (fixed_saves / "1.json").exists()
    assert not (fixed_saves / "2.json").exists() and not (fixed_saves / "2.json.bak").exists()


async def test_deleting_the_last_save_leaves_an_empty_list(mini, saves):
    SaveStore(saves).save("1", mini, fresh(mini, 1))
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test() as pilot:
        await pilot.pause()
        screen = await open_load(pilot)
        await pilot.press("d", "y")
        await pilot.pause()
        assert "Deleted Slot 1. There are no saved games now." in flat(app)
        assert not screen.check_action("delete", ())
        await pilot.press("d", "enter")  # nothing to act on: nothing happens
        await pilot.pause()
        assert isinstance(app.screen, LoadScreen)


async def test_a_save_fitted_to_a_changed_story_tells_the_player_in_a_message(mini, saves):
    store = SaveStore(saves)
    store.save("6", mini, choose(mini, fresh(mini, 1), "wait"))
    path = saves / "6.json"
    data = json.loads(path.read_text())
    data["state"]["scene"] = "a_scene_since_cut"  # the story no longer has it
    path.write_text(json.dumps(data))
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await open_load(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MessageScreen)
        text = flat(app)
        assert "The story has changed" in text
        assert "Loaded Slot 6. The story has changed since this game was saved" in text
        assert "You resume at the start of chapter 1, \u201cThe Key\u201d" in text
        await pilot.press("enter")  # dismissed: the game goes on from the chapter's start
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.state.scene == "start"


async def test_a_save_of_another_story_is_listed_but_not_loaded(mini, saves):
    store = SaveStore(saves)
    store.save("1", mini, fresh(mini, 1))
    path = saves / "1.json"
    data = json.loads(path.read_text())
    data["story"]["id"] = data["state"]["story_id"] = "other"
    data["story"]["title"] = "Another Story"
    path.write_text(json.dumps(data))
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "Continue" not in screen_text(app)
        await open_load(pilot)
        assert "another story: Another Story" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LoadScreen)
        assert "Slot 1 belongs to another story and cannot be loaded here." in flat(app)


# ---- 4. keys: F5, F9, Continue, autosave ----------------------------------------------------------


async def test_f5_quicksaves_and_f9_quickloads(mini, saves, notes):
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test() as pilot:
        await new_game(pilot)
        await pilot.press("f9")  # nothing to load yet: a message, the game goes on
        await settle(pilot)
        assert ("Quicksave is empty.", "Not loaded", "error", False) in notes
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        assert ("Saved: Quicksave (6 March 1953).", "Saved", "information", False) in notes
        assert json.loads((saves / "quick.json").read_text())["state"]["scene"] == "hall"
        await pilot.press("3")  # go home: an ending
        await settle(pilot)
        assert app.state.scene != "hall"
        app.pop_screen()  # the ending screen: back to the play screen under it
        await pilot.pause()
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen) and app.state.scene == "hall"
        assert app.errors == []


async def test_f5_over_a_damaged_quicksave_asks_and_f9_offers_its_backup(mini, saves):
    store = SaveStore(saves)
    store.quicksave(mini, fresh(mini, 1))
    store.quicksave(mini, fresh(mini, 1))
    (saves / "quick.json").write_text("{")
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test() as pilot:
        await new_game(pilot)
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, BackupScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("2", "f5")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "The quicksave is damaged" in flat(app)
        await pilot.press("y")
        await settle(pilot)
        assert store.info("quick").damaged is None
        assert json.loads((saves / "quick.json").read_text())["state"]["scene"] == "hall"


async def test_quicksave_and_quickload_are_in_keys_help_footer_and_palette(mini, saves):
    from game.ui.keys import KEYS

    keys = dict(k for _where, group in KEYS for k in group)
    assert keys["F5"] == "Quicksave" and keys["F9"].startswith("Quickload")
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await new_game(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "F5/F9 Quicksave/load" in footer and "? Help" in footer  # all of it fits 80 columns
        names = [name for name, _help, _callback in app.game_commands()]
        assert "Quicksave" in names and "Quickload" in names
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_continue_loads_the_newest_save_of_this_story(mini, saves, utc):
    store = SaveStore(saves)
    store.save("1", mini, choose(mini, fresh(mini, 1), "wait"))
    store.save("2", mini, fresh(mini, 1))
    store.save("3", mini, fresh(mini, 1))
    # slot 2 is older; slot 3 is newer but damaged; slot 4 is the newest, of another story
    for slot, when in (("1", "2025-06-02T10:00:00+00:00"), ("2", "2025-06-01T10:00:00+00:00")):
        data = json.loads((saves / f"{slot}.json").read_text())
        data["saved_at"] = when
        (saves / f"{slot}.json").write_text(json.dumps(data))
    (saves / "3.json").write_text("{")
    data["story"]["id"] = data["state"]["story_id"] = "other"
    data["saved_at"] = "2025-06-03T10:00:00+00:00"
    (saves / "4.json").write_text(json.dumps(data))
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        assert "Continue  (6 March 1953)" in screen_text(app)
        await pilot.press("enter")  # Continue is highlighted first
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen) and app.state.scene == "hall"


async def test_autosave_at_every_scene_change_runs_off_the_key_path(mini, saves, monkeypatch):
    import game.saving

    threads: list[str] = []
    release = threading.Event()
    real = game.saving.autosave

    def slow_autosave(store, story, state, play_seconds=0.0):
        threads.append(threading.current_thread().name)
        release.wait(5)  # the disk is slow: the next scene must not wait for it
        return real(store, story, state, play_seconds)

    monkeypatch.setattr(game.saving, "autosave", slow_autosave)
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test() as pilot:
        await new_game(pilot)
        await pilot.press("2")
        await pilot.pause()
        assert app.state.scene == "hall" and "The hall" in screen_text(app)  # painted while saving
        assert threads and threads[0] != threading.main_thread().name
        release.set()
        await settle(pilot)
        app.wait_for_autosave()
        await pilot.press("2")  # each scene change autosaves (auto-1, auto-2, ...)
        await settle(pilot)
        app.wait_for_autosave()
    assert len(threads) == 2
    assert {p.name for p in saves.glob("auto-*.json")} == {"auto-1.json", "auto-2.json"}


# ---- 6. disk errors: a message, and the game goes on ----------------------------------------------


def fail(monkeypatch, name: str, code: int) -> None:
    """os.<name> raises OSError(code) for anything in a save folder (the tests' tmp_path)."""
    real = getattr(os, name)

    def broken(*args, **kwargs):
        if "saves" in str(args[0]):
            raise OSError(code, os.strerror(code), str(args[0]))
        return real(*args, **kwargs)

    monkeypatch.setattr(os, name, broken)


@pytest.mark.parametrize(
    ("name", "code", "said"),
    [
        ("replace", errno.ENOSPC, "the disk is full"),
        ("open", errno.EROFS, "the disk is read-only"),
        ("open", errno.EACCES, "permission denied"),
    ],
)
async def test_a_disk_that_refuses_a_save_is_one_line_and_the_game_goes_on(mini, saves, monkeypatch, notes,
                                                                           name, code, said):
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test(size=(100, 30)) as pilot:
        await new_game(pilot)
        fail(monkeypatch, name, code)
        screen = await open_save(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SaveScreen)  # still open: choose another slot, or Esc
        info = str(screen.query_one("#saves-info").render())
        assert info.startswith(f"Could not save to Slot 1: {said}") and "\n" not in info
        assert "Your game goes on" in info
        await pilot.press("escape")
        await pilot.press("f5")
        await settle(pilot)
        assert any(m.startswith(f"Could not save to Quicksave: {said}") and t == "Not saved" for m, t, *_ in notes)
        await pilot.press("2")  # the autosave fails too: said once, and play goes on
        await settle(pilot)
        app.wait_for_autosave()
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        app.wait_for_autosave()
        await settle(pilot)
        failed = [m for m, *_ in notes if m.startswith("Autosave failed:")]
        assert len(failed) == 1 and said in failed[0]
        assert app.state.scene == "ally_scene" and isinstance(app.screen, PlayScreen)
        assert app.errors == []
    assert not list(saves.glob("*.json")) if saves.exists() else True
    assert not list(saves.glob(".*.tmp")) if saves.exists() else True


async def test_an_unreadable_save_folder_is_said_in_the_load_screen(mini, saves, monkeypatch):
    SaveStore(saves).save("1", mini, fresh(mini, 1))
    real = os.scandir

    def denied(path="."):
        if "saves" in str(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", denied)
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)  # no Continue, no crash
        await open_load(pilot)
        assert f"Cannot read the save folder {saves}: permission denied." in flat(app)
        await pilot.press("escape", "n")
        await pilot.pause()
        await open_save(pilot)  # the numbered slots, and why the folder cannot be read
        assert "Slot 1" in screen_text(app) and "permission denied" in flat(app)
        assert app.errors == []


async def test_a_missing_save_folder_has_no_saves_and_saving_creates_it(mini, tmp_path):
    saves = tmp_path / "not" / "yet" / "there"
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test() as pilot:
        await pilot.pause()
        await open_load(pilot)
        assert "There are no saved games yet." in flat(app)
        await pilot.press("escape", "n")
        await pilot.pause()
        await open_save(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
    assert (saves / "1.json").is_file()


async def test_delete_and_restore_failures_are_said_in_the_load_screen(mini, fixed_saves, monkeypatch):
    app = create_app(mini, seed=1, saves_dir=fixed_saves)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = await open_load(pilot)
        fail(monkeypatch, "unlink", errno.EACCES)
        fail(monkeypatch, "open", errno.EROFS)
        highlight(screen, "1")
        await pilot.press("d", "y")
        await pilot.pause()
        assert "Could not delete Slot 1: permission denied." in flat(app)
        highlight(screen, "2")
        await pilot.press("r")
        await pilot.pause()
        assert "Could not restore the backup of Slot 2: the disk is read-only." in flat(app)
        assert "DAMAGED" in screen_text(app)
        assert isinstance(app.screen, LoadScreen) and app.errors == []
