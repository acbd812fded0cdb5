"""`thaw` paints its title before loading the story (game.ui.boot): what the title shows before and
after the load, that nothing acts on a story not yet loaded, and that a broken story still ends
with its problems printed and exit status 1."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import OptionList

from game.story.engine import new_game
from game.story.loader import load_story
from game.ui.boot import create_title_first_app, finish_loading, read_heading
from game.ui.screens.play import PlayScreen

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"


def menu_ids(app) -> list[str]:
    menu = app.screen.query_one("#title-menu", OptionList)
    return [menu.get_option_at_index(i).id for i in range(menu.option_count)]


def test_the_heading_comes_from_story_toml_alone(tmp_path: Path):
    assert read_heading(MINI).title == "The Test Pack"
    assert read_heading(tmp_path) is None  # no story.toml: the full load reports it
    (tmp_path / "story.toml").write_text("[story]\ntitle = 3\n")
    assert read_heading(tmp_path) is None
    assert create_title_first_app(tmp_path) is None


def test_the_story_is_not_imported_before_the_title_is_painted():
    code = (
        "import sys\n"
        "from game.ui.boot import create_title_first_app\n"
        "app = create_title_first_app(None)\n"
        "from game.ui.screens.title import TitleScreen\n"
        "heavy = sorted(m for m in sys.modules if m.startswith(('pydantic', 'game.story', 'game.saves')))\n"
        "print(heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "[]"


async def test_the_title_is_painted_then_filled_in_with_continue(tmp_path: Path):
    saves = tmp_path / "saves"
    story = load_story(MINI)
    from game.saves import SaveStore

    SaveStore(saves).save(1, story, new_game(story, 1))
    app = create_title_first_app(MINI, saves_dir=saves)
    assert app.story is None
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.story is not None  # loaded just after the first frame
        assert menu_ids(app)[0] == "continue"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)


@pytest.fixture
def unusable_save(tmp_path: Path):
    """The game started as `thaw` starts, over a save folder holding one file that is no save."""
    saves = tmp_path / "saves"
    saves.mkdir()
    (saves / "1.json").write_text("{}")
    return create_title_first_app(MINI, saves_dir=saves)


async def test_a_key_before_the_story_is_loaded_loads_it_then_acts(unusable_save):
    app = unusable_save
    app.call_after_refresh = lambda *args, **kwargs: None  # hold the load back
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.story is None
        assert menu_ids(app) == ["continue", "new_game", "load", "codex", "endings", "settings", "quit"]
        await pilot.press("n")
        await pilot.pause()
        assert app.story is not None and not app.errors
        assert isinstance(app.screen, PlayScreen)


async def test_the_placeholder_continue_goes_when_no_save_is_usable(unusable_save):
    app = unusable_save
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.story is not None
        assert menu_ids(app) == ["new_game", "load", "codex", "endings", "settings", "quit"]
        finish_loading(app)  # a second call changes nothing
        assert menu_ids(app)[0] == "new_game"


def test_a_broken_story_still_prints_its_problems_and_exits_1(tmp_path: Path):
    broken = tmp_path / "broken"
    shutil.copytree(MINI, broken)
    scenes = sorted(p for p in broken.rglob("*.toml") if p.name != "story.toml")
    scenes[0].write_text(scenes[0].read_text() + "\n[[scene]]\nid = 'Bad Id'\n")
    result = subprocess.run(
        [sys.executable, "-m", "game", "--scenes", str(broken), "--saves", str(tmp_path / "saves")],
        capture_output=True, text=True, cwd=ROOT, timeout=60, stdin=subprocess.DEVNULL,
        env={"PATH": "/usr/bin:/bin", "TERM": "dumb", "TEXTUAL_DRIVER": "textual.drivers.headless_driver:HeadlessDriver"},
    )
    assert result.returncode == 1
    assert "Fix these and start again" in result.stderr and "Traceback" not in result.stderr
