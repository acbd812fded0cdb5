"""Bugs a new player met in the first minutes (issue 11, section 2), each driven through Pilot."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from game.ui.app import create_app
from terminal import screen_text, settle
from game.ui.screens.codex import CodexScreen
from game.ui.screens.ending import EndingScreen
from game.ui.screens.play import PlayScreen, StoryPane
from game.ui.widgets.choices import ChoiceList
from game.ui.widgets.status import StatusPanel

ROOT = Path(__file__).resolve().parent.parent
PEOPLE = ROOT / "tests" / "fixtures" / "people"


@pytest.fixture
def saves(tmp_path: Path) -> Path:
    return tmp_path / "saves"


@pytest.fixture(scope="module")
def people():
    from game.story.loader import load_story

    return load_story(PEOPLE)


async def test_page_keys_scroll_the_scene_and_leave_the_choice_highlight(shipped, saves):
    app = create_app(shipped, seed=1, saves_dir=saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        pane, choices = app.screen.query_one(StoryPane), app.screen.query_one(ChoiceList)
        assert pane.max_scroll_y > 0, "the test needs a scene longer than the pane"
        first = choices.highlighted
        await pilot.press("pagedown")
        await pilot.pause()
        assert pane.scroll_y > 0 and choices.highlighted == first
        await pilot.press("end")
        await pilot.pause()
        assert pane.scroll_y == pane.max_scroll_y and choices.highlighted == first
        await pilot.press("pageup", "home")
        await pilot.pause()
        assert pane.scroll_y == 0 and choices.highlighted == first
        await pilot.press("enter")  # still the first choice
        await settle(pilot)
        assert app.state.journal[-1].choice == shipped.scenes["c1_kuntsevo_call"].choice[0].id


def _people_shown(app) -> list[str]:
    return [row.label for row in app.screen.query_one(StatusPanel).rows().people]


async def test_a_new_game_after_an_ending_shows_only_the_people_it_has_met(people, saves):
    app = create_app(people, seed=1, saves_dir=saves)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        assert _people_shown(app) == ["Nina Orlova"]
        await pilot.press("f5")  # a quicksave in the office, before Belov
        await pilot.press("1", "1")
        await settle(pilot)
        assert _people_shown(app) == ["Nina Orlova", "Sergeant Belov"]
        await pilot.press("1")
        await settle(pilot)
        while not isinstance(app.screen, EndingScreen):
            await pilot.press("escape")
            await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert _people_shown(app) == ["Nina Orlova"]
        assert "Belov" not in screen_text(app)
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("f9")  # the old quicksave: the office again, nobody else
        await settle(pilot)
        assert app.state.scene == "office" and _people_shown(app) == ["Nina Orlova"]
        assert "Belov" not in screen_text(app)


async def test_a_role_follows_the_story_and_a_first_meeting_is_not_hostility(people, saves):
    app = create_app(people, seed=1, saves_dir=saves)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("n", "1")
        await settle(pilot)
        text = screen_text(app)
        assert "Sergeant Belov" in text and "not yet met" in text and "0/5" not in text
        assert "Presidium guard" in text
        await pilot.press("1")  # greet him: standing 4, Belov 1
        await settle(pilot)
        panel = " ".join(app.screen.query_one(StatusPanel).render().plain.split())  # the role wraps
        assert "Presidium guard, and your friend" in panel and "1/5" in panel and "not yet met" not in panel


async def test_save_and_load_notices_stay_off_the_choices_and_do_not_pile_up(mini, saves):
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        for _ in range(3):
            await pilot.press("f5")
            await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        choices = app.screen.query_one(ChoiceList).region
        toasts = list(app.screen.query("Toast"))
        assert not any(t.region.overlaps(choices) for t in toasts)
        assert len(toasts) <= 1
        assert "Loaded Quicksave" in screen_text(app)  # in a line of its own, above the keys


async def test_the_codex_filter_takes_typing_at_once(mini, saves):
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "c")
        await settle(pilot)
        assert isinstance(app.screen, CodexScreen)
        await pilot.press("z", "z")
        await pilot.pause()
        assert app.screen.query_one("#codex-filter").value == "zz"
        assert "No match" in screen_text(app)


async def test_the_palette_screenshot_goes_to_the_save_folder(mini, saves, tmp_path, monkeypatch):
    home = tmp_path / "home"  # no Downloads folder here
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    app = create_app(mini, seed=1, saves_dir=saves)
    told: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        original = app.notify
        app.notify = lambda message, **kw: (told.append(str(message)), original(message, **kw))[1]
        await pilot.press("n")
        await settle(pilot)
        palette = next(c for c in app.get_system_commands(app.screen) if c.title == "Screenshot")
        palette.callback()  # what the command palette runs
        await pilot.pause(0.3)
        await settle(pilot)
    shots = list((saves / "screenshots").glob("*.svg"))
    assert len(shots) == 1 and shots[0].read_text().startswith("<svg")
    assert any(str(shots[0]) in m for m in told), told
    assert not (home / "Downloads").exists()


async def test_the_sidebar_scrollbar_keeps_clear_of_the_values(shipped, saves):
    from game.story.engine import start_at

    every = {"lapin": 6, "velichko": 5, "mikoyan": 2, "brandt": 3}
    state = start_at(shipped, "c4_brandt_home", seed=1, preset=every)
    app = create_app(shipped, seed=1, saves_dir=saves, start=state)
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot)
        app.session.unlocked |= {"lapin", "tanya", "velichko", "mikoyan", "brandt"}
        app.play_screen().show_scene()
        await settle(pilot)
        sidebar = app.screen.query_one("#sidebar")
        panel = app.screen.query_one(StatusPanel)
        assert sidebar.show_vertical_scrollbar, "the test needs a status panel taller than the screen"
        bar = sidebar.vertical_scrollbar.region
        assert panel.content_region.right < bar.x  # at least one cell between a value and the bar


async def test_the_footer_keeps_help_at_60_columns(mini, saves):
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test(size=(60, 24)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "? Help" in footer and "esc Menu" in footer


async def test_a_damaged_row_lines_up_with_the_others_at_60_columns(mini, fixed_saves):
    app = create_app(mini, seed=1, saves_dir=fixed_saves)
    async with app.run_test(size=(60, 40)) as pilot:
        await pilot.press("l")
        await settle(pilot)
        lines = screen_text(app).splitlines()
        damaged = next(line for line in lines if "DAMAGED" in line)
        label = next(line for line in lines if "Slot 3" in line)
        assert damaged.index("DAMAGED") == label.index("\u201c[bold]")


async def test_the_title_says_which_chapters_are_written(mini, saves):
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = " ".join(screen_text(app).replace("\u2551", " ").split())  # wrapped inside the frame
        assert "Written so far: chapters 1-2, March 1953 to April 1953." in text
