"""SVG snapshots of the main screens at 80x24 and 120x40 (pytest-textual-snapshot).

Regenerate after a deliberate change of the look with `pytest tests/test_ui_snapshots.py
--snapshot-update`, and look at the SVG files under tests/__snapshots__/ before committing them.
The fixture story, a fixed seed and an empty save folder make every frame deterministic.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from game.ui.app import create_app

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]

#: keys from the title screen to each screen (the fixture story, seed 1, no saves)
SCREENS = {
    "title": (),
    "play": ("n", "2"),  # the hall after waiting for Orlova: a result, a locked choice
    "history": ("n", "2", "h"),
    "journal": ("n", "1", "1", "j"),
    "codex": ("n", "c"),
    "ending": ("n", "1", "1", "1"),
    "story-so-far": ("n", "3", "2", "2", "b"),  # three decisions, opened at the newest
    "endings": ("e",),  # the gallery from the title: nothing found yet, the hints
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen_snapshot(snap_compare, mini, tmp_path, screen, size):
    app = create_app(mini, seed=1, saves_dir=tmp_path / "saves")

    async def settle(pilot):
        await pilot.pause()
        for key in SCREENS[screen]:
            await pilot.press(key)
            await pilot.pause()
        if app.workers:
            await app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=settle)


#: the Save and Load screens over a save folder with fixed content (tests/conftest.py
#: write_fixed_saves: fixed times shown in UTC, a label that is Textual markup, a damaged slot
#: with a good backup)
SAVE_SCREENS = {
    "load": ("l",),  # from the title screen
    "load-damaged": ("l", "down", "down", "down", "down"),  # the damaged slot highlighted: b and r offered
    "save": ("n", "2", "ctrl+s"),  # in the hall
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", list(SAVE_SCREENS))
def test_saves_snapshot(snap_compare, mini, fixed_saves, screen, size):
    app = create_app(mini, seed=1, saves_dir=fixed_saves)

    async def settle(pilot):
        await pilot.pause()
        for key in SAVE_SCREENS[screen]:
            await pilot.press(key)
            await pilot.pause()
            if app.workers:  # an autosave after a choice: done before the next key
                await app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=settle)


#: the chapter card (tests/fixtures/chapters: the pack whose chapters have card phrases)
CARD_SCREENS = {
    "card": ("n", "1", "1"),  # the key taken, into chapter two: the record, the private truth, the timeline
    "card-ending": ("n", "2", "2"),  # home early: the card over the ending screen
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", list(CARD_SCREENS))
def test_card_snapshot(snap_compare, tmp_path, screen, size):
    from game.story.loader import load_story

    story = load_story(Path(__file__).parent / "fixtures" / "chapters")
    app = create_app(story, seed=1, saves_dir=tmp_path / "saves")

    async def settle(pilot):
        await pilot.pause()
        for key in CARD_SCREENS[screen]:
            await pilot.press(key)
            await pilot.pause()
        if app.workers:
            await app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=settle)
