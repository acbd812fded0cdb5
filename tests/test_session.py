"""The shared session: one playthrough, the same for the TUI, the plain front end and the browser."""

from __future__ import annotations

from game.session import SaveFolder, Session
from game.story.engine import start_at


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_taking_a_choice_moves_the_state_and_records_what_changed(mini, tmp_path):
    session = Session.new(mini, SaveFolder(tmp_path), seed=1)
    assert session.state.scene == "start" and session.previous is None
    taken = session.take("take_key")
    assert taken.done and session.state.scene == "hall"
    assert session.change.stats == {"nerve": 1} and session.change.flags == {"has_key": True}
    assert session.change.delta("nerve") == 1 and session.change.delta("trust") == 0
    assert session.previous is not None and session.previous.scene == "start"
    assert "The key is cold in your pocket." in session.view.text


def test_a_locked_or_unknown_choice_is_refused_without_changing_anything(mini, tmp_path):
    session = Session.new(mini, SaveFolder(tmp_path), seed=1)
    session.take("wait")
    before = session.state
    locked = session.take("open_door")
    assert not locked.done and locked.locked and locked.reason == "You have no key."
    unknown = session.take("fly")
    assert not unknown.done and not unknown.locked and "no choice 'fly'" in unknown.reason
    assert session.state is before and len(session.undo_stack) == 1


def test_undo_returns_the_choice_text_and_the_earlier_state(mini, tmp_path):
    session = Session.new(mini, SaveFolder(tmp_path), seed=1)
    assert session.undo() is None
    start = session.state
    session.take("take_key")
    assert session.undo() == "Take the key."
    assert session.state is start and session.undo_stack == [] and not session.change


def test_the_undo_stack_is_bounded(mini, tmp_path):
    start = start_at(mini, "start", seed=1)
    session = Session(mini, start, folder=SaveFolder(tmp_path), undo=[start] * 5, undo_limit=2)
    assert len(session.undo_stack) == 2
    session.take("wait")
    assert len(session.undo_stack) == 2 and session.undo_stack[-1] is start


def test_choice_numbers_map_to_ids_and_endings_have_none(mini, tmp_path):
    session = Session(mini, start_at(mini, "start", seed=1), folder=SaveFolder(tmp_path))
    assert session.choice_id(1) == "take_key" and session.choice_id(9) is None
    session.take("wait")
    session.take("leave")
    assert session.at_ending and session.choice_id(1) is None


def test_play_time_counts_from_the_save_and_the_clock(mini, tmp_path):
    clock = Clock()
    session = Session(mini, start_at(mini, "start"), folder=SaveFolder(tmp_path), play_seconds=60.0, clock=clock)
    clock.now += 30
    assert session.play_seconds() == 90.0


def test_a_new_session_starts_with_nothing_of_the_last_one(mini, tmp_path):
    folder = SaveFolder(tmp_path)
    first = Session.new(mini, folder, seed=1)
    first.take("wait")
    first.unlocked.add("vault-term")  # as if its prose had named the vault
    second = Session.new(mini, folder, seed=1)
    assert second.undo_stack == [] and second.state.journal == ()
    # what the second game has unlocked is what its own first scene mentions, nothing more
    assert second.unlocked == set(mini.mentions(second.view.text))


def test_saving_and_loading_through_the_folder_rebuilds_undo(mini, tmp_path):
    folder = SaveFolder(tmp_path)
    session = Session.new(mini, folder, seed=1)
    session.take("take_key")
    saved = session.save("3")
    assert saved.done, saved.message
    loaded = folder.load(mini, "3")
    again = Session.from_loaded(mini, folder, loaded)
    assert again.state.model_dump() == session.state.model_dump()
    assert [s.scene for s in again.undo_stack] == ["start"]
    assert again.undo() == "Take the key."


def test_autosave_skips_endings_and_reports_problems_as_text(mini, tmp_path):
    folder = SaveFolder(tmp_path)
    session = Session.new(mini, folder, seed=1)
    session.take("wait")
    assert session.autosave() == ""
    assert folder.store.exists("auto-1")
    session.take("leave")
    assert session.at_ending
    folder.store.delete("auto-1")
    assert session.autosave() == "" and not folder.store.exists("auto-1")


def test_an_ending_is_recorded_in_the_profile_once(mini, tmp_path):
    folder = SaveFolder(tmp_path)
    session = Session.new(mini, folder, seed=1)
    session.take("wait")
    session.take("leave")
    assert session.record_ending() == (1, len(mini.endings))
    assert session.record_ending() == (1, len(mini.endings))
    assert folder.profile.endings_found(mini.info.id) == ["end_quiet"]


def test_codex_entries_found_are_remembered_in_the_profile(mini, tmp_path):
    folder = SaveFolder(tmp_path)
    session = Session.new(mini, folder, seed=1)
    session.remember()
    assert folder.profile.codex_seen(mini.info.id) == session.unlocked
    assert session.known_codex() == session.unlocked


def test_an_unusable_save_folder_is_a_problem_not_an_exception(mini, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    folder = SaveFolder(blocker / "saves")
    session = Session.new(mini, folder, seed=1)
    result = session.save("1")
    assert not result.done and result.message
    assert folder.load(mini, "1").state is None
    assert folder.newest(mini) is None
