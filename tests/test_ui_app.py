"""The Textual game, driven through Pilot: from the title to an ending with keys and with the
mouse, locked choices, undo, every screen, saves, the command palette, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Button, Input, OptionList

from game.ui.app import ThawApp, create_app
from game.ui.screens.codex import CodexScreen
from game.ui.screens.ending import EndingScreen
from game.ui.screens.help import HelpScreen
from game.ui.screens.menu import MenuScreen
from game.ui.screens.message import MessageScreen
from game.ui.screens.notes import HistoryScreen, JournalScreen
from game.ui.screens.play import PlayScreen
from game.ui.screens.saves import LoadScreen, SaveScreen
from game.ui.screens.settings import SettingsScreen
from game.ui.screens.title import TitleScreen
from game.ui.widgets.choices import ChoiceList

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"


def screen_text(app: ThawApp) -> str:
    """The characters on the terminal, line by line (what a player reads)."""
    update = app.screen._compositor.render_full_update()
    return "\n".join("".join(segment.text for segment in line) for line in update.strips)


@pytest.fixture
def saves(tmp_path: Path) -> Path:
    return tmp_path / "saves"


@pytest.fixture
def app(mini, saves) -> ThawApp:
    return create_app(mini, seed=1, saves_dir=saves)


async def new_game(pilot) -> None:
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(pilot.app.screen, PlayScreen)


# ---- from the title to an ending -----------------------------------------------------------------


async def test_title_screen_shows_title_years_and_menu(app):
    async with app.run_test() as pilot:
        assert isinstance(app.screen, TitleScreen)
        text = screen_text(app)
        assert "T H E   T E S T   P A C K" in text
        assert "Moscow, 1953" in text
        for item in ("New game", "Load", "Codex", "Settings", "Quit"):
            assert item in text
        assert "Continue" not in text  # no save yet
        assert app.animation_level == "none"
        await pilot.pause()


async def test_play_to_an_ending_with_the_keyboard(app):
    async with app.run_test() as pilot:
        await pilot.press("enter")  # "New game" is highlighted when there is no save
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        text = screen_text(app)
        assert "Chapter 1 · The Key" in text
        assert "5 March 1953 · A corridor near the Kremlin" in text
        assert "1 Take the key." in text and "3 Look out of the window." in text

        await pilot.press("1")  # a number key takes the choice
        assert app.state.scene == "hall"
        text = screen_text(app)
        assert "The key is heavier than it looks." in text  # the result, before the scene's prose
        assert text.index("The key is heavier") < text.index("A hall with a locked door")

        await pilot.press("down", "up", "enter")  # arrows and Enter: "Open the door."
        assert app.state.scene == "vault"
        await pilot.press("enter")  # "Take your father's file."
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        text = screen_text(app)
        assert "The File" in text and "A hopeful ending" in text
        assert "You read the file at the kitchen table." in text
        assert "Endings found: 1 of 3" in text
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
    assert app.errors == []


async def test_play_to_an_ending_with_the_mouse(app):
    async with app.run_test() as pilot:
        assert await pilot.click("#title-menu", offset=(4, 0))  # New game
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert await pilot.click(ChoiceList, offset=(8, 1))  # "Wait for Orlova."
        await pilot.pause()
        assert app.state.scene == "hall"
        # The hall: "Open the door." is locked (two lines), "Ask Orlova for help.", "Go home."
        assert await pilot.click(ChoiceList, offset=(8, 0))
        await pilot.pause()
        assert app.state.scene == "hall"  # a click on a locked choice does nothing
        assert await pilot.click(ChoiceList, offset=(8, 2))
        await pilot.pause()
        assert app.state.scene == "ally_scene"
        assert await pilot.click(ChoiceList, offset=(8, 1))  # "Give it back."
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        assert "A Quiet Life" in screen_text(app)
        assert await pilot.click("#quit")
        await pilot.pause()
    assert app.return_code == 0


async def test_ending_offers_new_game_load_and_undo(app):
    async with app.run_test() as pilot:
        await new_game(pilot)
        await pilot.press("1", "2")  # take the key, go home
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        assert {b.id for b in app.screen.query(Button)} == {"new_game", "load", "quit"}
        await pilot.press("u")  # undo leaves the ending
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.state.scene == "hall"
        await pilot.press("2")
        await pilot.pause()
        await pilot.click("#new_game")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.state.scene == "start"
        assert app.undo_stack == []


# ---- locked choices and undo -------------------------------------------------------------------------


async def test_a_locked_choice_cannot_be_taken(app):
    async with app.run_test() as pilot:
        await new_game(pilot)
        await pilot.press("2")  # wait for Orlova: no key
        choices = app.screen.query_one(ChoiceList)
        assert choices.get_option_at_index(0).disabled
        text = screen_text(app)
        assert "Locked: You have no key." in text
        await pilot.press("1")  # by number
        assert app.state.scene == "hall"
        choices.highlighted = 0  # by Enter on it (the cursor skips it; force it there)
        await pilot.press("enter")
        assert app.state.scene == "hall"
        assert app.take("open_door") is False  # by id
        assert app.state.scene == "hall"
        assert len(app.state.journal) == 1
        await pilot.press("up")  # the cursor never lands on the locked choice
        assert choices.highlighted != 0


async def test_undo_rewinds_repeatedly_to_the_chapter_start(app):
    async with app.run_test() as pilot:
        await new_game(pilot)
        await pilot.press("3")  # look out of the window (back to start)
        await pilot.press("2")  # wait for Orlova
        await pilot.press("2")  # ask Orlova for help: chapter two
        assert app.state.scene == "ally_scene"
        assert "Chapter 2 · The Vault" in screen_text(app)
        await pilot.press("u")
        assert app.state.scene == "hall"
        await pilot.press("ctrl+z")
        assert app.state.scene == "start" and app.state.flags["warned"]
        await pilot.press("u")
        assert app.state.scene == "start" and not app.state.flags["warned"]
        assert app.state.journal == () and app.state.turn == 0
        await pilot.press("u")  # nothing left: the state stays
        assert app.state.scene == "start"
        assert "Chapter 1 · The Key" in screen_text(app)


async def test_undo_works_after_loading_a_save(app, saves):
    async with app.run_test() as pilot:
        await new_game(pilot)
        await pilot.press("2", "2")
        assert app.save_game("3")
        await pilot.press("escape")  # the menu
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)
        app.screen.query_one(OptionList).highlighted = 5  # "Title screen"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        assert "Continue" in screen_text(app)
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LoadScreen)
        assert "Slot 3" in screen_text(app)
        slots = app.screen.query_one(OptionList)
        slots.highlighted = next(i for i in range(slots.option_count) if slots.get_option_at_index(i).id == "3")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.state.scene == "ally_scene"
        await pilot.press("u", "u")
        assert app.state.scene == "start"


# ---- every screen opens and closes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("keys", "screen_type", "close"),
    [
        (("h",), HistoryScreen, "escape"),
        (("h",), HistoryScreen, "h"),
        (("j",), JournalScreen, "q"),
        (("j",), JournalScreen, "j"),
        (("c",), CodexScreen, "escape"),
        (("question_mark",), HelpScreen, "escape"),
        (("f1",), HelpScreen, "f1"),
        (("escape",), MenuScreen, "escape"),
        (("ctrl+s",), SaveScreen, "escape"),
        (("l",), LoadScreen, "escape"),
    ],
)
async def test_every_play_screen_opens_and_closes(app, keys, screen_type, close):
    async with app.run_test() as pilot:
        await new_game(pilot)
        await pilot.press(*keys)
        await pilot.pause()
        assert isinstance(app.screen, screen_type)
        await pilot.press(close)
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.errors == []


@pytest.mark.parametrize(
    ("key", "screen_type"),
    [("c", CodexScreen), ("s", SettingsScreen), ("l", LoadScreen), ("question_mark", HelpScreen)],
)
async def test_title_screens_open_and_close(app, key, screen_type):
    async with app.run_test() as pilot:
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, screen_type)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)


async def test_note_journal_and_codex_switch_between_each_other(app):
    async with app.run_test() as pilot:
        await new_game(pilot)
        await pilot.press("h", "j")
        await pilot.pause()
        assert isinstance(app.screen, JournalScreen)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CodexScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)  # one Esc: the panels replaced each other


async def test_history_note_shows_event_date_summary_dispute_and_sources(app):
    async with app.run_test(size=(100, 40)) as pilot:
        await new_game(pilot)
        await pilot.press("h")
        await pilot.pause()
        text = screen_text(app)
        assert "A death in March" in text
        assert "5 March 1953" in text
        assert "A fixture event that stands for a documented one." in text
        assert "Disputed" in text and "Two fixture sources disagree about the hour." in text
        assert "Author, A. (2001). A Book. Publisher." in text


async def test_history_note_without_an_event_lists_the_scene_sources(app):
    async with app.run_test(size=(100, 40)) as pilot:
        await new_game(pilot)
        await pilot.press("2", "2", "h")  # ally_scene has sources but no event
        await pilot.pause()
        text = screen_text(app)
        assert "not tied to one documented event" in text
        assert "Author, A. (2001). A Book. Publisher." in text


async def test_journal_interleaves_decisions_with_the_timeline(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await new_game(pilot)
        await pilot.press("1", "j")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        needles = ("A death in March", "Take the key.", "now: 6 March 1953", "Something in April")
        order = [next(i for i, line in enumerate(lines) if needle in line) for needle in needles]
        assert order == sorted(order)
        assert "(disputed)" in lines[order[0]]
        assert "History" in lines[order[0] - 1] and "You" in lines[order[0] - 1]  # two columns when wide
        await pilot.press("escape", "1", "j")  # the vault, 5 April: the April event is behind you now
        await pilot.pause()
        lines = screen_text(app).splitlines()
        needles = ("A death in March", "Take the key.", "Open the door.", "Something in April")
        order = [next(i for i, line in enumerate(lines) if needle in line) for needle in needles]
        assert order == sorted(order)
        assert not any("now:" in line for line in lines)


async def test_codex_unlocks_entries_as_scenes_mention_them_and_filters(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await new_game(pilot)
        assert app.unlocked == {"orlova"}  # the first scene names Orlova (and "the Kremlin" only in the place)
        await pilot.press("c")
        await pilot.pause()
        text = screen_text(app)
        assert "Nina Orlova" in text and "1 of 3 entries found" in text
        assert "the Kremlin" not in text
        assert "Bibliography (2)" in text
        await pilot.press("escape", "1", "1")  # the vault mentions nothing new; still 1
        await pilot.press("c")
        await pilot.pause()
        app.screen.query_one(Input).focus()
        await pilot.press(*"zzz")
        await pilot.pause()
        text = screen_text(app)
        assert "No match" in text and "0 match 'zzz'" in text
        filter_input = app.screen.query_one(Input)
        filter_input.value = "book"
        await pilot.pause()
        text = screen_text(app)
        assert "Bibliography (1)" in text and "Nina Orlova" not in text


async def test_codex_of_a_loaded_game_is_derived_from_its_visits(mini, saves):
    first = create_app(mini, seed=1, saves_dir=saves)
    async with first.run_test() as pilot:
        await new_game(pilot)
        await pilot.press("2")
        assert first.save_game("1")
    # Forget what the profile remembers, then load: the codex comes back from the save's visits.
    (saves / "profile.json").unlink(missing_ok=True)
    second = create_app(mini, seed=1, saves_dir=saves, load_slot="1")
    async with second.run_test() as pilot:
        await pilot.pause()
        assert isinstance(second.screen, PlayScreen)
        assert second.state.scene == "hall"
        assert "orlova" in second.unlocked


# ---- the status panel ------------------------------------------------------------------------------


async def test_sidebar_hides_on_narrow_terminals_and_toggles(mini, saves):
    app = create_app(mini, seed=1, saves_dir=saves, size=(80, 24))
    async with app.run_test() as pilot:
        await new_game(pilot)
        sidebar = app.screen.query_one("#sidebar")
        assert not sidebar.display
        await pilot.press("s")
        assert sidebar.display
        assert "Nerve" in screen_text(app) and "Nina Orlova" in screen_text(app)
        await pilot.press("tab")
        assert not sidebar.display
    wide = create_app(mini, seed=1, saves_dir=saves, size=(120, 40))
    async with wide.run_test() as pilot:
        await new_game(pilot)
        sidebar = wide.screen.query_one("#sidebar")
        assert sidebar.display
        text = screen_text(wide)
        assert "Nerve" in text and "2/5" in text
        await pilot.press("1")
        assert "▲1 3/5" in screen_text(wide)  # the change the last choice made
        await pilot.press("s")
        assert not sidebar.display


# ---- saves, continue, profile ----------------------------------------------------------------------


async def test_continue_loads_the_newest_save(mini, saves):
    first = create_app(mini, seed=1, saves_dir=saves)
    async with first.run_test() as pilot:
        await new_game(pilot)
        await pilot.press("1")  # autosaved in a thread
        await pilot.pause()
        first.wait_for_autosave()
        await first.workers.wait_for_complete()
    second = create_app(mini, seed=1, saves_dir=saves)
    async with second.run_test() as pilot:
        text = screen_text(second)
        assert "Continue  (6 March 1953)" in text
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(second.screen, PlayScreen)
        assert second.state.scene == "hall" and second.state.flags["has_key"]


async def test_save_screen_saves_in_a_numbered_slot(app, saves):
    async with app.run_test() as pilot:
        await new_game(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SaveScreen)
        await pilot.press("enter")  # the first empty slot: Slot 1
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert (saves / "1.json").is_file()
        saved = json.loads((saves / "1.json").read_text())
        assert saved["state"]["scene"] == "start"


async def test_a_missing_slot_on_the_command_line_is_a_message_not_a_crash(mini, saves):
    app = create_app(mini, seed=1, saves_dir=saves, load_slot="7")
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        assert app.errors == []


async def test_endings_found_are_remembered_across_playthroughs(mini, saves):
    for keys, expected in ((("1", "2"), "1 of 3"), (("1", "2"), "1 of 3"), (("2", "3"), "1 of 3"), (("1", "1", "1"), "2 of 3")):
        app = create_app(mini, seed=1, saves_dir=saves)
        async with app.run_test() as pilot:
            await new_game(pilot)
            await pilot.press(*keys)
            await pilot.pause()
            assert isinstance(app.screen, EndingScreen)
            assert f"Endings found: {expected}" in screen_text(app)
    profile = json.loads((saves / "profile.json").read_text())
    assert sorted(profile["endings"]["fixture"]) == ["end_quiet", "end_rich"]
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test():
        assert "Endings found: 2 of 3" in screen_text(app)


@pytest.mark.parametrize("content", [b"{not json", b"[1, 2]", b"\xff\xfe", b'{"endings": {"fixture": "x"}, "theme": 3}'])
async def test_a_damaged_profile_is_ignored(mini, saves, content):
    saves.mkdir(parents=True)
    (saves / "profile.json").write_bytes(content)
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test() as pilot:
        await new_game(pilot)
        await pilot.press("1", "2")
        await pilot.pause()
        assert "Endings found: 1 of 3" in screen_text(app)
    assert json.loads((saves / "profile.json").read_text())["endings"] == {"fixture": ["end_quiet"]}


async def test_a_profile_that_cannot_be_written_does_not_crash(mini, saves, monkeypatch):
    """As on a read-only disk: every write of profile.json fails; the game goes on, forgetting."""
    import game.profile

    def read_only(*_args, **_kwargs):
        raise PermissionError(30, "Read-only file system")

    monkeypatch.setattr(game.profile, "write_atomic", read_only)
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test() as pilot:
        await new_game(pilot)
        await pilot.press("1", "2")
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        assert "Endings found: 1 of 3" in screen_text(app)
        assert "could not be written" in app.profile.problem
        assert app.errors == []
    assert not (saves / "profile.json").exists()


async def test_a_profile_that_is_a_folder_is_ignored(mini, saves):
    (saves / "profile.json").mkdir(parents=True)
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test() as pilot:
        await new_game(pilot)
        await pilot.press("1", "2")
        await pilot.pause()
        assert "Endings found: 1 of 3" in screen_text(app)
        assert app.errors == []


async def test_an_unwritable_save_folder_does_not_crash(mini, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    app = create_app(mini, seed=1, saves_dir=blocker / "saves")
    async with app.run_test() as pilot:
        await new_game(pilot)
        await pilot.press("1", "2")  # autosave fails quietly, the ending is not remembered
        await pilot.pause()
        app.wait_for_autosave()
        await app.workers.wait_for_complete()
        assert isinstance(app.screen, EndingScreen)
        assert "Endings found: 1 of 3" in screen_text(app)
        assert app.profile.problem
        assert app.save_game("2") is False
        assert app.errors == []


async def test_theme_is_chosen_in_settings_and_remembered(mini, saves):
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test() as pilot:
        await pilot.press("s")
        await pilot.pause()
        themes = app.screen.query_one(OptionList)
        index = next(i for i in range(themes.option_count) if themes.get_option_at_index(i).id == "nord")
        themes.highlighted = index
        await pilot.pause()
        assert app.theme == "nord"  # previewed
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
    assert json.loads((saves / "profile.json").read_text())["theme"] == "nord"
    again = create_app(mini, seed=1, saves_dir=saves)
    async with again.run_test():
        assert again.theme == "nord"


async def test_settings_escape_restores_the_theme(app):
    async with app.run_test() as pilot:
        before = app.theme
        await pilot.press("s", "down", "down")
        assert app.theme != before
        await pilot.press("escape")
        await pilot.pause()
        assert app.theme == before


def test_no_color_is_respected(mini, saves, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = create_app(mini, seed=1, saves_dir=saves)
    assert app.no_color
    assert any(type(f).__name__ in ("Monochrome", "NoColor") for f in app._filters)


# ---- the command palette and help -----------------------------------------------------------------


async def test_command_palette_offers_every_action(app):
    from game.ui.commands import GameCommands

    async with app.run_test() as pilot:
        await new_game(pilot)
        names = [name for name, _help, _callback in app.game_commands()]
        for action in ("New game", "Continue", "Load", "Save", "Undo", "History note", "Journal", "Codex",
                       "Status panel", "Settings", "Help", "Menu", "Title screen", "Quit"):
            assert action in names
        assert GameCommands in {p if isinstance(p, type) else p() for p in app.COMMANDS}
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"journal")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, JournalScreen)


async def test_help_lists_every_key(app):
    from game.ui.keys import KEYS

    async with app.run_test(size=(100, 80)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        for _where, keys in KEYS:
            for key, what in keys:
                assert key in text and what in text
        for key in ("1 - 9", "h", "j", "c", "u or ctrl+z", "s or Tab", "? or F1", "ctrl+p"):
            assert key in text


async def test_footer_shows_the_main_keys(app):
    async with app.run_test(size=(100, 24)) as pilot:
        await new_game(pilot)
        footer = screen_text(app).splitlines()[-1]
        for label in ("History", "Journal", "Codex", "Undo", "Menu", "Help"):
            assert label in footer


# ---- errors ------------------------------------------------------------------------------------------


async def test_an_error_in_a_game_action_is_shown_and_the_game_goes_on(app, monkeypatch):
    import game.session.playthrough as app_module

    async with app.run_test() as pilot:
        await new_game(pilot)

        def broken(*_args, **_kwargs):
            raise RuntimeError("the engine broke")

        monkeypatch.setattr(app_module, "choose", broken)
        await pilot.press("1")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, MessageScreen)
        assert "Something went wrong while taking that choice: RuntimeError" in screen_text(app)
        assert app.errors and "the engine broke" in app.errors[0]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.state.scene == "start"


def test_an_unexpected_crash_shows_a_sentence_not_a_traceback(tmp_path):
    code = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from game.story.loader import load_story
from game.ui.app import create_app
from game.ui.screens.title import TitleScreen

def explode(self):
    raise RuntimeError("kaboom")

TitleScreen.on_mount = explode
app = create_app(load_story({str(MINI)!r}), seed=1, saves_dir={str(tmp_path / 'saves')!r})
app.run(headless=True, size=(80, 24))
sys.exit(app.return_code)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "The Thaw stopped because of an unexpected error (RuntimeError: kaboom)" in result.stderr
    log = tmp_path / "saves" / "crash.log"
    assert "kaboom" in log.read_text() and "Traceback" in log.read_text()
