"""The Textual game shows story and save text literally (issue 10, findings 1, 2, 3 and 5).

Each test makes one field hostile and drives the screen that shows it: the text must be on screen
as written, nothing on screen may be clickable as an action, clicking it must write nothing, no
foreign control character may reach the terminal, and fast keys must not break the screen stack.
A last test keeps every screen on the one safe way (game.ui.literal).
"""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

import pytest


from game.story.loader import load_story
from game.ui.app import create_app
from game.ui.screens.codex import CodexScreen
from game.ui.screens.ending import EndingScreen
from game.ui.screens.play import PlayScreen
from game.ui.screens.saves import LoadScreen
from game.ui.screens.title import TitleScreen
from terminal import CaptureDriver, clickable_actions, foreign_bytes, on_screen, queue_keys, screen_text

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
CLICK = "[@click=app.screenshot('victim.svg','.')]Moscow[/]"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch) -> Path:
    """The working folder, where a clicked screenshot action would write victim.svg."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _pack(tmp_path: Path, file: str, old: str, new: str) -> Path:
    folder = tmp_path / "pack"
    if not folder.exists():
        shutil.copytree(MINI, folder)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def _capturing(story, saves: Path, **kwargs):
    app = create_app(story, seed=1, saves_dir=saves, **kwargs)
    app.driver_class = CaptureDriver
    CaptureDriver.writes = []
    return app


async def _click_text(pilot, app, needle: str) -> None:
    """Click every place on screen where `needle` starts."""
    for y, line in enumerate(screen_text(app).split("\n")):
        x = line.find(needle)
        while x >= 0:
            await pilot.click(offset=(x + 1, y))
            await pilot.pause()
            x = line.find(needle, x + 1)


def _assert_inert(app, workdir: Path) -> None:
    assert clickable_actions(app) == []
    assert not (workdir / "victim.svg").exists()
    assert foreign_bytes(CaptureDriver.writes) == []


# ---- finding 2: story strings read as markup -------------------------------------------------------------


async def test_a_hostile_subtitle_is_shown_as_typed(tmp_path, workdir):
    story = load_story(_pack(tmp_path, "story.toml", 'subtitle = "Moscow, 1953"', f'subtitle = "{CLICK} [/]"'))
    app = _capturing(story, tmp_path / "saves")
    async with app.run_test(headless=False, notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        assert on_screen(app, f"{CLICK} [/]")
        await _click_text(pilot, app, "Moscow")
        _assert_inert(app, workdir)


async def test_a_long_hostile_title_is_shown_as_typed(tmp_path, workdir):
    title = "The Test Pack of Moscow and Leningrad [/] [b]x"  # letter-spaced, over 60 columns
    story = load_story(_pack(tmp_path, "story.toml", 'title = "The Test Pack"', f'title = "{title}"'))
    app = _capturing(story, tmp_path / "saves")
    async with app.run_test(headless=False, notifications=True, size=(100, 30)) as pilot:
        await pilot.pause()
        assert on_screen(app, title.upper())
        _assert_inert(app, workdir)


async def test_a_hostile_ending_tone_is_shown_as_typed(tmp_path, workdir):
    tone = f"bitter {CLICK} [/]"
    story = load_story(_pack(tmp_path, "two/scenes.toml", 'tone = "bitter"', f'tone = "{tone}"'))
    app = _capturing(story, tmp_path / "saves")
    async with app.run_test(headless=False, notifications=True, size=(120, 40)) as pilot:
        await pilot.press("n", "1", "1", "2")  # take the key, open the door, leave it all
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        assert on_screen(app, f"A {tone} ending")
        await _click_text(pilot, app, "Moscow")
        _assert_inert(app, workdir)


async def test_a_hostile_codex_name_is_listed_as_typed(tmp_path, workdir):
    folder = _pack(tmp_path, "codex.toml", 'name = "Nina Orlova"', f'name = "Nina {CLICK} [/]"')
    app = _capturing(load_story(folder), tmp_path / "saves")
    async with app.run_test(headless=False, notifications=True, size=(120, 40)) as pilot:
        await pilot.press("n", "c")
        await pilot.pause()
        assert isinstance(app.screen, CodexScreen)
        prompts = [app.screen.query_one("#codex-list").get_option_at_index(k).prompt for k in range(2)]
        assert [getattr(p, "plain", p) for p in prompts] == ["PEOPLE", f"  Nina {CLICK} [/]"]
        assert on_screen(app, "[@click=app.screenshot('vict")
        await _click_text(pilot, app, "Moscow")
        _assert_inert(app, workdir)


async def test_the_undo_notice_shows_the_choice_as_typed(tmp_path, workdir):
    text = f"Take {CLICK} [/] the key."
    story = load_story(_pack(tmp_path, "one/scenes.toml", 'text = "Take the key."', f'text = "{text}"'))
    app = _capturing(story, tmp_path / "saves")
    async with app.run_test(headless=False, notifications=True, size=(120, 40)) as pilot:
        await pilot.press("n", "1", "u")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.state.scene == "start"
        await pilot.pause(0.1)
        assert on_screen(app, f"Undone: {text}")  # the play screen's message line, as typed
        await _click_text(pilot, app, "Moscow")
        _assert_inert(app, workdir)


# ---- finding 3: the codex filter ----------------------------------------------------------------------


async def test_the_codex_filter_takes_any_text(tmp_path, mini, workdir):
    app = _capturing(mini, tmp_path / "saves")
    async with app.run_test(headless=False, notifications=True, size=(120, 40)) as pilot:
        await pilot.press("n", "c", "ctrl+f", "a", "[", "/")
        await pilot.pause()
        assert isinstance(app.screen, CodexScreen)
        assert on_screen(app, "match 'a[/'")
        await pilot.press(*"]@click=app.quit]")
        await pilot.pause()
        assert app.is_running and on_screen(app, "match 'a[/]@click=app.quit]'")
        _assert_inert(app, workdir)


# ---- finding 1: control sequences never reach the terminal -----------------------------------------------


async def test_control_sequences_that_slip_past_the_loader_are_shown_as_escapes(tmp_path, mini, workdir):
    """Defence in depth: a story built without the loader, its scene text full of escapes."""
    story = load_story(MINI)
    scene = story.scenes["start"]
    story.scenes["start"] = scene.model_copy(update={"text": "Title \x1b]0;PWNED\x07 clip \x1b]52;c;eA==\x1b\\ "
                                                              "clear \x1b[2J c1 \x9b2J \u202eevil"})
    app = _capturing(story, tmp_path / "saves")
    async with app.run_test(headless=False, notifications=True, size=(120, 40)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        assert on_screen(app, "Title \\x1b]0;PWNED\\x07")
        _assert_inert(app, workdir)


async def test_a_save_with_escape_sequences_is_listed_safely_and_not_loaded(tmp_path, workdir):
    """The chapter title and the journal of a hostile save: the Load screen shows the slot as
    damaged (before anything is loaded) and writes no foreign byte."""
    story = load_story(HOSTILE / "pack")
    saves = tmp_path / "saves"
    saves.mkdir()
    shutil.copy(HOSTILE / "saves" / "2.json", saves / "2.json")
    assert "\\u001b" in (saves / "2.json").read_text()
    app = _capturing(story, saves)
    async with app.run_test(headless=False, notifications=True, size=(120, 40)) as pilot:
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LoadScreen)
        assert on_screen(app, "DAMAGED")
        await pilot.press("enter")
        await pilot.pause()
        assert app.state is None
        _assert_inert(app, workdir)


# ---- finding 5: fast keys on the Settings screen ----------------------------------------------------------


@pytest.mark.parametrize("keys", [("s", "enter", "enter"), ("s", "enter", "enter", "enter", "s", "escape", "escape"),
                                  ("s", "down", "enter", "s", "enter", "enter")])
async def test_fast_keys_on_the_settings_screen(tmp_path, mini, keys):
    for _attempt in range(4):
        app = create_app(mini, seed=1, saves_dir=tmp_path / "saves")
        async with app.run_test() as pilot:
            await pilot.pause()
            queue_keys(app, *keys)  # as fast as a terminal delivers them: Pilot.press waits after each
            await pilot.pause()
            assert app.is_running and len(app.screen_stack) >= 1
        assert app.return_code in (None, 0) and not app.crash_message


# ---- the one safe way ---------------------------------------------------------------------------------------

#: calls that build a safe visual from data (never parse markup)
SAFE_CALLS = {"literal", "rich_literal", "option", "Text", "Content", "render_markdown", "inline", "keys_table",
              "choice_prompt", "slot_prompt", "assemble", "styled", "Literal"}


def _call_name(node: ast.AST) -> str:
    if isinstance(node, ast.Call):
        func = node.func
        return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return ""


def _is_safe(arg: ast.AST) -> bool:
    if isinstance(arg, ast.Constant):
        return True
    if isinstance(arg, ast.IfExp):
        return _is_safe(arg.body) and _is_safe(arg.orelse)
    return _call_name(arg) in SAFE_CALLS


def test_no_screen_passes_computed_text_as_markup():
    """Static, Option and border_title read a str as markup: only a constant may be given to them
    as a str; anything computed goes through game.ui.literal. Markup is never switched on."""
    offences = []
    for path in sorted((ROOT / "game" / "ui").rglob("*.py")):
        if path.name == "literal.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Call):
                name = _call_name(node)
                if name in ("Static", "Option", "Label") and node.args and not _is_safe(node.args[0]):
                    offences.append(f"{where}: {name}() of a computed str")
                if name == "from_markup":
                    offences.append(f"{where}: Content.from_markup")
                for keyword in node.keywords:
                    if keyword.arg == "markup" and not (isinstance(keyword.value, ast.Constant) and keyword.value.value is False):
                        if name != "notify":
                            offences.append(f"{where}: markup switched on")
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Attribute) and target.attr in ("border_title", "border_subtitle"):
                        if not _is_safe(node.value) or isinstance(node.value, ast.Constant):
                            offences.append(f"{where}: {target.attr} set to a str")
    assert offences == [], "\n".join(offences)


def test_notifications_are_always_plain(mini):
    app = create_app(mini, seed=1)
    seen = []
    from textual.app import App

    original = App.notify

    def spy(self, message, **kwargs):
        seen.append((message, kwargs))

    App.notify = spy
    try:
        app.notify("[b]x\x1b[2J", title="[/]", markup=True)
    finally:
        App.notify = original
    assert seen == [("[b]x\\x1b[2J", {"title": "[/]", "severity": "information", "timeout": None, "markup": False})]
    json.dumps(seen)  # plain values only
