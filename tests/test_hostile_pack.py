"""The hostile fixture pack and saves (tests/fixtures/hostile, issue 10) through the whole game.

The Textual game is played on every screen with the pack whose every string is markup, @click
actions, brackets, long text and odd Unicode, over a save folder of hostile saves; the plain
front end and every tool run over the pack and its escape-sequence twin. Throughout: no exception,
no control character written to the terminal but the driver's own, no action started by story or
save text (nothing on screen is clickable as one, clicking the text does nothing), and no file
written outside the save folder.
"""

from __future__ import annotations

import hashlib
import io
import shutil
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Button, Input, OptionList

from game.cli import main as cli_main
from game.plain import run_plain
from game.story.loader import load_story
from game.ui.app import ThawApp, create_app
from game.ui.screens.card import ChapterCardScreen
from game.ui.screens.codex import CodexScreen
from game.ui.screens.ending import EndingScreen
from game.ui.screens.gallery import EndingsScreen
from game.ui.screens.help import HelpScreen
from game.ui.screens.menu import MenuScreen
from game.ui.screens.message import ConfirmScreen, MessageScreen
from game.ui.screens.notes import HistoryScreen, JournalScreen
from game.ui.screens.play import PlayScreen
from game.ui.screens.record import StorySoFarScreen
from game.ui.screens.saves import BackupScreen, LoadScreen, SaveScreen
from game.ui.screens.settings import SettingsScreen
from game.ui.screens.title import TitleScreen
from terminal import FOREIGN, CaptureDriver, clickable_actions, foreign_bytes, on_screen, screen_text

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"
PACK, ESCAPES = HOSTILE / "pack", HOSTILE / "escapes"
MARKER = "[@click=app.screenshot('victim.svg','.')]Moscow[/]"
#: the start of it, for screens in columns (where a wrapped line has another column's text after it)
START = "[@click=app.screenshot("
#: actions that only markup read from the story could start (the game binds none of them)
FOREIGN_ACTIONS = ("screenshot", "quit", "bell")


def _tree(root: Path, skip: Path) -> dict[str, str]:
    """Every file under `root` but under `skip`, with a hash of its content."""
    files = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and skip not in path.parents:
            files[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


@pytest.fixture
def world(tmp_path: Path, monkeypatch):
    """A working folder (where a clicked screenshot would land) holding the save folder: the six
    hostile saves, slot 2's backup a good save. Yields (saves folder, check) where check() asserts
    that nothing outside the save folder was written, the pack included."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    saves = tmp_path / "saves"
    shutil.copytree(HOSTILE / "saves", saves)
    shutil.copy(saves / "1.json", saves / "2.json.bak")
    before, pack_before = _tree(tmp_path, saves), _tree(HOSTILE, HOSTILE / "nothing")

    def check() -> None:
        assert not (tmp_path / "victim.svg").exists()
        assert _tree(tmp_path, saves) == before
        assert _tree(HOSTILE, HOSTILE / "nothing") == pack_before

    yield saves, check
    check()


# ---- the Textual game ----------------------------------------------------------------------------


class _Visit:
    """Drives the app and checks every screen it reaches."""

    def __init__(self, pilot, app: ThawApp, actions: list[str]) -> None:
        self.pilot, self.app, self.actions = pilot, app, actions
        self.screens: set[str] = set()

    async def keys(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        await self.pilot.pause()

    async def check(self, screen_type: type, *texts: str) -> None:
        app = self.app
        await self.pilot.pause()
        assert isinstance(app.screen, screen_type), (type(app.screen).__name__, screen_type.__name__)
        self.screens.add(screen_type.__name__)
        for text in texts:
            assert on_screen(app, text), f"{text!r} is not on the {screen_type.__name__}:\n{screen_text(app)}"
        assert clickable_actions(app) == [], f"clickable text on the {screen_type.__name__}"
        await self.click_text("Moscow")
        assert isinstance(app.screen, screen_type), "a click on the story's text changed the screen"
        assert not any(name in action for action in self.actions for name in FOREIGN_ACTIONS), self.actions

    async def click_text(self, needle: str, most: int = 3) -> None:
        """Click the story's text where it is plain text, in its first `most` places (a click on
        a menu or a choice would rightly choose it; every place, those included, is checked by
        clickable_actions: nothing on screen carries an action)."""
        clicks = 0
        for y, line in enumerate(screen_text(self.app).split("\n")):
            x = line.find(needle)
            if x < 0 or clicks >= most:
                continue
            widget, _region = self.app.get_widget_at(x + 2, y)
            if not isinstance(widget, (OptionList, Button, Input)):
                await self.pilot.click(offset=(x + 2, y))
                await self.pilot.pause()
                clicks += 1


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_every_screen_with_the_hostile_pack(world, size, monkeypatch):
    saves, check_files = world
    actions: list[str] = []
    real_run_action = App.run_action

    async def recording(self, action, *args, **kwargs):
        actions.append(str(action))
        return await real_run_action(self, action, *args, **kwargs)

    monkeypatch.setattr(App, "run_action", recording)
    app = create_app(load_story(PACK), seed=3, saves_dir=saves)
    app.driver_class = CaptureDriver
    CaptureDriver.writes = []
    async with app.run_test(headless=False, notifications=True, tooltips=True, size=size) as pilot:
        v = _Visit(pilot, app, actions)
        # at 80x24 the long title and subtitle push the menu down: the panel scrolls
        await v.check(TitleScreen, *(("THE THAW, A VERY LONG TITLE", MARKER) if size[1] >= 40 else ()))
        await v.keys("s")
        await v.check(SettingsScreen)
        await v.keys("escape", "c")
        await v.check(CodexScreen)
        await v.keys("escape", "e")
        await v.check(EndingsScreen, START)  # the hints of the endings not found
        await v.keys("escape", "l")
        await v.check(LoadScreen, START)
        await v.keys("escape", "n")
        await v.check(PlayScreen, "Snow on Moscow.", MARKER)
        for key, screen in (("h", HistoryScreen), ("j", JournalScreen), ("c", CodexScreen), ("question_mark", HelpScreen)):
            await v.keys(key)
            await v.check(screen)
            await v.keys("escape")
        await v.keys("c", "ctrl+f", *"[/]", "enter")
        await v.check(CodexScreen, "match '[/]'")
        await v.keys("escape", "1")  # leave chapter one: its card
        await v.check(ChapterCardScreen, START)
        await v.keys("enter")
        await v.check(PlayScreen, START)  # the result and the stat's notice over the long scene
        await v.keys("b")
        await v.check(StorySoFarScreen, START)
        await v.keys("escape", "c")
        await v.check(CodexScreen, START)  # the passage shown once 'long' is visited
        await v.keys("escape", "u")
        await pilot.pause(0.1)
        assert MARKER in str(app.screen.query_one("#flash").render())  # the undo message, as typed
        await v.check(PlayScreen)
        await v.keys("1")
        await v.check(ChapterCardScreen)
        await v.keys("enter", "ctrl+s")
        await v.check(SaveScreen)
        await v.keys("enter")  # slot 7, the first empty one
        await v.check(PlayScreen)
        assert (saves / "7.json").exists()
        await v.keys("f5", "f9", "escape")
        await v.check(MenuScreen)
        await v.keys("escape", "l")
        await v.check(LoadScreen)  # the newest first: the quicksave, its chapter title 3,000 x long
        slots = app.screen.query_one("#slots")
        slots.highlighted = slots.index_of("2")
        await v.keys("enter")
        await v.check(BackupScreen, "which this game never writes")  # slot 2 holds escape sequences
        await v.keys("escape", "d")
        await v.check(ConfirmScreen)
        await v.keys("n")
        slots.highlighted = slots.index_of("1")
        await v.keys("enter")
        await v.check(PlayScreen, MARKER)
        await v.keys("j")
        await v.check(JournalScreen, START)
        await v.keys("escape", "2")  # leave: the interim ending
        await v.check(EndingScreen, "uncertain")
        await v.keys("u", "1")  # stay: the final ending
        await v.check(EndingScreen, "THE END")
        app.show_error("testing the error report", RuntimeError(f"{MARKER} \x1b]0;PWNED\x07"))
        await v.check(MessageScreen, "Something went wrong while testing the error report")
        await v.keys("enter")
        assert app.is_running and not app.crash_message and app.errors == [
            f"Something went wrong while testing the error report: RuntimeError: {MARKER} \x1b]0;PWNED\x07"]
    assert v.screens >= {"TitleScreen", "SettingsScreen", "CodexScreen", "LoadScreen", "PlayScreen", "HistoryScreen",
                         "JournalScreen", "HelpScreen", "SaveScreen", "MenuScreen", "BackupScreen", "ConfirmScreen",
                         "EndingScreen", "MessageScreen", "EndingsScreen", "ChapterCardScreen", "StorySoFarScreen"}
    assert foreign_bytes(CaptureDriver.writes) == []
    check_files()


# ---- the plain front end ------------------------------------------------------------------------------


PLAIN_SCRIPT = [
    "help", "look", "status", "note", "journal", "codex", "codex [/", "endings",
    "1", "back", "status", "undo", "1", "back 1", "save 8", "save quick", "load quick", "delete 8", "yes", "restore 2",
    "x\x1b]0;PWNED\x07", "[@click=app.quit]", "saves",
    "load 2", "load 3", "load 4", "load 5", "load 6", "load 2 backup", "load 1", "journal", "note", "status",
    "2",
]


def test_the_plain_game_over_the_hostile_pack(world):
    saves, check_files = world
    out = io.StringIO()
    code = run_plain(load_story(PACK), seed=3, saves_dir=str(saves), stdin=io.StringIO("\n".join(PLAIN_SCRIPT) + "\n"),
                     stdout=out)
    text = out.getvalue()
    assert code == 0 and "THE END" in text and MARKER in text
    assert "I don't know 'x\\x1b]0;pwned\\x07'" in text  # the player's own input, shown escaped
    assert not FOREIGN.search(text)
    check_files()


def test_the_plain_game_refuses_the_escapes_pack_plainly(world, capsys):
    _saves, check_files = world
    assert cli_main(["play", "--plain", "--scenes", str(ESCAPES)]) == 1
    captured = capsys.readouterr()
    assert "The story cannot be loaded" in captured.err and "Traceback" not in captured.err
    assert not FOREIGN.search(captured.out + captured.err)
    check_files()


# ---- the tools ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv, code",
    [
        (["check", str(PACK)], 0),
        (["check", str(PACK), "--format", "json"], 0),
        (["check", str(ESCAPES)], 1),
        (["check", str(ESCAPES), "--format", "json"], 1),
        (["playtest", str(PACK), "--runs", "50"], None),
        (["playtest", str(PACK), "--exhaustive"], None),
        (["playtest", str(ESCAPES)], 1),
        (["playtest", str(PACK), "--prove"], None),
        (["playtest", str(PACK), "--prove", "--format", "json"], None),
        (["balance", str(PACK), "--runs", "50"], None),
        (["balance", str(PACK), "--runs", "50", "--format", "json"], None),
        (["balance", str(ESCAPES)], 1),
        (["style", str(PACK)], None),
        (["style", str(PACK), "--format", "json"], None),
        (["style", str(ESCAPES)], 1),
        (["notes", "--saves", "SAVES"], 0),
        (["graph", str(PACK)], 0),
        (["graph", str(PACK), "--format", "mermaid"], 0),
        (["graph", str(PACK), "--chapter", "x\x1b[2J"], 1),
        (["graph", str(ESCAPES)], 1),
        (["schema"], 0),
        (["replay", str(HOSTILE / "recording.json"), "--scenes", str(PACK)], 0),
        (["replay", str(HOSTILE / "bad-recording.json"), "--scenes", str(PACK)], 1),
        (["replay", str(HOSTILE / "other-recording.json"), "--scenes", str(PACK)], 1),
        (["replay", str(HOSTILE / "recording.json"), "--scenes", str(ESCAPES)], 1),
        (["saves", "--saves", "SAVES"], 0),
    ],
    ids=lambda v: " ".join(Path(a).name for a in v[:3]) if isinstance(v, list) else str(v),
)
def test_every_tool_over_the_hostile_pack(world, capsys, argv, code):
    saves, check_files = world
    argv = [str(saves) if a == "SAVES" else a for a in argv]
    result = cli_main(argv)
    if code is not None:
        assert result == code
    captured = capsys.readouterr()
    assert captured.out or captured.err
    assert "Traceback" not in captured.out + captured.err
    assert not FOREIGN.search(captured.out + captured.err), captured.err[:500]
    check_files()


def test_thaw_saves_lists_every_hostile_save(world, capsys):
    saves, _check = world
    assert cli_main(["saves", "--saves", str(saves)]) == 0
    out = capsys.readouterr().out
    for slot in range(1, 7):
        assert f"Slot {slot}" in out
    assert out.count("DAMAGED") == 5
    assert "lone surrogate" in out and "out of range" in out and "different stories" in out
