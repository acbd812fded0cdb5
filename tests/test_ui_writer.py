"""The writer's state inspector (i under thaw play --dev or --watch) and the tester's note (w),
through Pilot, and the engine rule the inspector's changes go through."""

from __future__ import annotations

import pytest
from textual.widgets import Input, SelectionList

from game.notes import list_notes, note_state
from game.session import Session
from game.story.engine import ChoiceError, adjust, choose, start_at
from game.ui.app import create_app
from game.ui.screens.ending import EndingScreen
from game.ui.screens.inspector import InspectorScreen
from game.ui.screens.play import PlayScreen
from game.ui.screens.tester_note import NoteToWriterScreen


def screen_text(app) -> str:
    update = app.screen._compositor.render_full_update()
    return "\n".join("".join(segment.text for segment in line) for line in update.strips)


# ---- the engine rule ------------------------------------------------------------------------------


def test_adjust_follows_the_engine_rules(mini):
    state = choose(mini, start_at(mini, "start", seed=4), "take_key")
    edited = adjust(mini, state, {"nerve": 99, "trust": -3, "warned": True}, "vault")
    assert edited.stats == {"nerve": 5, "trust": 0}  # clamped into 0..5, as a choice's add is
    assert edited.flags == {"has_key": True, "warned": True}
    assert edited.scene == "vault" and edited.visits["vault"] == state.visits.get("vault", 0) + 1
    assert edited.journal == state.journal and edited.turn == state.turn  # an edit is not a decision
    assert state.stats["nerve"] == 3 and state.scene == "hall"  # the state itself is untouched
    with pytest.raises(ChoiceError, match="not a declared stat"):
        adjust(mini, state, {"courage": 3})
    with pytest.raises(ChoiceError, match="not a declared stat"):
        adjust(mini, state, {"has_key": 1})  # a flag takes true or false, not a number
    with pytest.raises(ChoiceError, match="unknown scene 'nowhere'"):
        adjust(mini, state, scene="nowhere")


def test_the_session_undoes_an_edit_like_a_choice(mini, tmp_path):
    from game.session import SaveFolder

    session = Session(mini, start_at(mini, "start", seed=4), folder=SaveFolder(tmp_path))
    assert session.take("take_key").done
    assert not session.adjust({}).done  # nothing asked: nothing done, nothing to undo
    assert session.adjust({"nerve": 0, "trust": 4}, "vault").done
    assert session.state.scene == "vault" and session.change.stats == {"nerve": -3, "trust": 3} and session.edited
    assert session.result == "" and session.notices == ()  # the key's result and the story's lines were the choice's
    assert session.undo() == "the change made in the state inspector"
    assert session.state.scene == "hall" and session.state.stats["nerve"] == 3
    assert session.result == "The key is heavier than it looks."
    assert session.undo() is not None and session.state.scene == "start"


# ---- the inspector on screen ----------------------------------------------------------------------


async def test_the_inspector_edits_stats_and_flags_and_jumps(mini, tmp_path):
    app = create_app(mini, seed=4, saves_dir=tmp_path, dev=True, start=start_at(mini, "start", seed=4))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, InspectorScreen)
        text = screen_text(app)
        assert "State inspector" in text and "nerve" in text and "0..5" in text and "1  start" in text
        nerve = app.screen.query_one("#stat-nerve", Input)
        assert app.focused is nerve and nerve.value == "2"
        nerve.value = "4"
        flags = app.screen.query_one("#inspector-flags", SelectionList)
        flags.select("warned")
        app.screen.query_one("#inspector-jump", Input).value = "hall"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        state = app.state
        assert state.scene == "hall" and state.stats["nerve"] == 4 and state.flags["warned"]
        assert state.visits["hall"] == 1 and state.journal == ()
        assert "nerve 2 -> 4, warned on, now at hall" in screen_text(app)
        # the scene's choices follow the new state: 'warned and nerve < 5' opens a passage
        await pilot.press("u")
        await pilot.pause()
        assert app.state.scene == "start" and app.state.stats["nerve"] == 2 and not app.state.flags["warned"]


async def test_the_inspector_refuses_what_the_story_cannot_hold(mini, tmp_path):
    app = create_app(mini, seed=4, saves_dir=tmp_path, dev=True, start=start_at(mini, "start", seed=4))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#stat-nerve", Input).value = ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen and "nerve: give a whole number from 0 to 5" in screen_text(app)
        screen.query_one("#stat-nerve", Input).value = "2"
        screen.query_one("#inspector-jump", Input).value = "halll"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen and "there is no scene 'halll' in this story" in screen_text(app)
        screen.query_one("#inspector-jump", Input).value = ""
        screen.query_one("#stat-trust", Input).value = "40"  # clamped to 5 by the engine, as a choice would
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.state.stats["trust"] == 5 and app.state.scene == "start"


async def test_a_jump_to_an_ending_shows_the_ending(mini, tmp_path):
    app = create_app(mini, seed=4, saves_dir=tmp_path, dev=True, start=start_at(mini, "start", seed=4))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one("#inspector-jump", Input).value = "end_rich"
        await pilot.press("enter")  # Enter in a field applies too
        await pilot.pause()
        await pilot.pause()
        assert app.state.scene == "end_rich" and isinstance(app.screen, EndingScreen)


async def test_without_dev_the_inspector_stays_shut(mini, tmp_path):
    app = create_app(mini, seed=4, saves_dir=tmp_path, start=start_at(mini, "start", seed=4))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and "thaw play --dev" in screen_text(app)
    watching = create_app(mini, seed=4, saves_dir=tmp_path, watch=True, start=start_at(mini, "start", seed=4))
    assert watching.dev  # --watch brings the inspector with it


async def test_story_text_in_the_inspector_is_never_markup(pack, tmp_path):
    from game.story.loader import load_story

    toml = pack / "story.toml"
    toml.write_text(toml.read_text().replace('label = "Nerve"', 'label = "[bold red]Nerve[/] [link=x]y[/]"'))
    story = load_story(pack)
    app = create_app(story, seed=4, saves_dir=tmp_path, dev=True, start=start_at(story, "start", seed=4))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        assert "[bold red]Nerve[/] [link=x]y[/]" in screen_text(app)


# ---- the tester's note ----------------------------------------------------------------------------


async def test_w_writes_a_tester_note_that_thaw_notes_opens(mini, tmp_path):
    app = create_app(mini, seed=4, saves_dir=tmp_path, start=start_at(mini, "start", seed=4))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")  # take_key: to the hall
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, NoteToWriterScreen) and "(hall)" in " ".join(screen_text(app).split())
        await pilot.press("enter")  # an empty comment is not a note
        await pilot.pause()
        assert isinstance(app.screen, NoteToWriterScreen) and list_notes(tmp_path) == []
        await pilot.press(*"The door sticks.")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and "Note written" in screen_text(app)
    (note,) = list_notes(tmp_path)
    assert note.comment == "The door sticks." and note.scene == "hall" and note.turns == 1
    state, _notice = note_state(note, mini)
    assert state.scene == "hall" and state.flags["has_key"]
    assert (note.folder / "transcript.json").is_file() and "take_key" in (note.folder / "transcript.json").read_text()


async def test_esc_leaves_the_note_unwritten(mini, tmp_path):
    app = create_app(mini, seed=4, saves_dir=tmp_path, start=start_at(mini, "start", seed=4))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w", *"never mind", "escape")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
    assert list_notes(tmp_path) == []


@pytest.mark.parametrize("keys", [("i", "enter", "enter", "enter"), ("i", "ctrl+s", "escape", "i", "escape"),
                                  ("w", "x", "enter", "enter", "escape"), ("i", "escape", "w", "escape", "u")])
async def test_keys_all_at_once_over_the_writer_screens(mini, tmp_path, keys):
    """Keys that arrive while a panel is still opening or already closing (one read of the
    terminal) neither break the screen stack nor apply a change twice."""
    from terminal import queue_keys

    app = create_app(mini, seed=4, saves_dir=tmp_path, dev=True, start=start_at(mini, "start", seed=4))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        queue_keys(app, *keys)
        for _ in range(6):
            await pilot.pause()
        assert app.screen_stack[0] is not None and isinstance(app.screen_stack[1], PlayScreen)
        assert app.state.scene == "start" and len(app.undo_stack) <= 1
        while not isinstance(app.screen, PlayScreen):
            await pilot.press("escape")
        assert app.return_code is None
