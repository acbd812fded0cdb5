"""thaw play --watch: the story reloads on a change, the game carries over, load errors overlay."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

from game.story.engine import choose, start_at
from game.story.loader import load_story
from game.ui.app import create_app
from game.ui.screens.play import PlayScreen
from game.ui.screens.title import TitleScreen
from game.ui.watch import StoryErrorsScreen, StoryWatcher, carry_over


def screen_text(app) -> str:
    update = app.screen._compositor.render_full_update()
    return "\n".join("".join(segment.text for segment in line) for line in update.strips)


def _touch_edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"test setup: {old!r} not in {path}"
    before = path.stat().st_mtime_ns
    path.write_text(text.replace(old, new))
    if path.stat().st_mtime_ns == before:  # coarse clocks: make the change visible
        os.utime(path, ns=(before + 1_000_000, before + 1_000_000))


def test_watcher_sees_changes_additions_and_removals(pack: Path):
    watcher = StoryWatcher(pack)
    assert watcher.changed() == []
    _touch_edit(pack / "one" / "scenes.toml", "long corridor", "narrow corridor")
    assert watcher.changed() == ["one/scenes.toml"]
    assert watcher.changed() == []
    (pack / "extra.toml").write_text("")
    assert watcher.changed() == ["extra.toml"]
    (pack / "extra.toml").unlink()
    assert watcher.changed() == ["extra.toml"]
    (pack / "notes.txt").write_text("not a story file")
    assert watcher.changed() == []


def _rename_hall(pack: Path) -> None:
    for path in (pack / "one" / "scenes.toml", pack / "two" / "scenes.toml"):
        path.write_text(path.read_text().replace('"hall"', '"big_hall"').replace('visited("hall")', 'visited("big_hall")'))
    scenes = pack / "one" / "scenes.toml"
    scenes.write_text(scenes.read_text().replace('renamed_from = ["old_hall"]', 'renamed_from = ["old_hall", "hall"]'))


def test_carry_over_follows_renames_and_keeps_the_game(pack: Path):
    old = load_story(pack)
    state = choose(old, start_at(old, "start", seed=3), "take_key")
    _rename_hall(pack)
    new = load_story(pack)
    moved, notice = carry_over(old, new, state)
    assert moved.scene == "big_hall" and notice is None
    assert moved.flags["has_key"] and moved.stats == state.stats and moved.journal == state.journal
    assert moved.visits.get("big_hall") == 1


async def test_edits_reload_the_scene_in_place(pack: Path, tmp_path: Path):
    story = load_story(pack)
    app = create_app(story, seed=1, saves_dir=tmp_path / "saves", watch=True, start=start_at(story, "start", seed=1))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        await pilot.press("1")  # take the key
        await pilot.pause()
        controller = app.watch_controller
        assert controller is not None and controller.timer is not None
        assert callable(app.watch)  # Textual's own App.watch is not shadowed by the option
        assert "A hall with a locked door" in screen_text(app)
        _touch_edit(pack / "one" / "scenes.toml", "A hall with a locked door", "A cold hall with a locked door")
        assert controller.check()
        await pilot.pause()
        assert app.story is not story and app.state.scene == "hall" and app.undo_stack
        assert "A cold hall with a locked door" in screen_text(app)
        # A rename follows the scene; the undo stack follows too.
        _rename_hall(pack)
        assert controller.check()
        await pilot.pause()
        assert app.state.scene == "big_hall" and app.undo_stack[-1].scene == "start"
        await pilot.press("u")
        await pilot.pause()
        assert app.state.scene == "start"


async def test_load_errors_overlay_until_fixed(pack: Path, tmp_path: Path):
    story = load_story(pack)
    app = create_app(story, seed=1, saves_dir=tmp_path / "saves", watch=True, start=start_at(story, "hall", seed=1))
    scenes = pack / "one" / "scenes.toml"
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        controller = app.watch_controller
        _touch_edit(scenes, 'goto = "vault"', 'goto = "vaultt"')
        assert not controller.check()
        await pilot.pause()
        assert isinstance(app.screen, StoryErrorsScreen)
        text = screen_text(app)
        assert "The story has errors" in text and "goto names unknown scene 'vaultt'" in text
        assert app.story is story and app.state.scene == "hall"  # the game goes on as it was
        # Another broken save updates the overlay in place.
        _touch_edit(scenes, 'goto = "ally_scene"', 'goto = "ally"')
        assert not controller.check()
        await pilot.pause()
        assert sum(isinstance(s, StoryErrorsScreen) for s in app.screen_stack) == 1
        assert "unknown scene 'ally'" in screen_text(app)
        # Fixed: the overlay closes by itself and the new story is in place.
        _touch_edit(scenes, 'goto = "vaultt"', 'goto = "vault"')
        _touch_edit(scenes, 'goto = "ally"', 'goto = "ally_scene"')
        assert controller.check()
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.story is not story


async def test_the_timer_polls_by_itself(pack: Path, tmp_path: Path):
    story = load_story(pack)
    app = create_app(story, seed=1, saves_dir=tmp_path / "saves", watch=True)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)  # no game yet: only the story is swapped
        _touch_edit(pack / "story.toml", 'title = "The Test Pack"', 'title = "The Test Pack, Revised"')
        deadline = time.monotonic() + 5
        while app.watch_controller.reloads == 0 and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        assert app.watch_controller.reloads == 1
        assert app.story.info.title == "The Test Pack, Revised" and app.title == "The Test Pack, Revised"


async def test_without_watch_nothing_polls(mini, tmp_path: Path):
    app = create_app(mini, seed=1, saves_dir=tmp_path / "saves")
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.watch_controller is None
