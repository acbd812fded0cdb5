"""Details of the game UI: its own garbage-collection cadence, the wording of the ending screen."""

from __future__ import annotations

import gc

from game.story.engine import start_at
from game.ui.app import GC_EVERY, create_app


async def test_full_collections_run_after_frames_and_settings_are_restored(mini, tmp_path, monkeypatch):
    before = gc.get_threshold()
    collected = []
    real_collect = gc.collect
    monkeypatch.setattr(gc, "collect", lambda *a: collected.append(a) or real_collect(*a))
    app = create_app(mini, seed=1, saves_dir=tmp_path, start=start_at(mini, "start", seed=1))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert gc.get_threshold()[2] >= 1_000_000  # no automatic full collection mid-frame
        for _ in range(GC_EVERY):
            app.undo_stack.clear()
            app.start(start_at(mini, "start", seed=1))
            await pilot.pause()
            await pilot.press("2")
            await pilot.pause()
        assert len(collected) == 1
    assert gc.get_threshold() == before


def test_ending_tone_line_uses_the_right_article():
    from game.ui.screens.ending import tone_line

    assert tone_line("uncertain") == "An uncertain ending"
    assert tone_line("bitter") == "A bitter ending"
    assert tone_line("") == ""
