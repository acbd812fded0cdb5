"""What the session computes for every front end: the status panel, notices, the story so far,
chapter cards, the endings gallery, replay marks and the codex's newest entry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.reading import codex_text, mention_words, story_scope
from game.session import SaveFolder, Session
from game.session.gallery import NO_HINT, endings_gallery, gallery_summary
from game.session.record import story_so_far
from game.session.status import role_of, status
from game.story.engine import choose, new_game, start_at
from game.story.loader import load_story

PEOPLE = Path(__file__).resolve().parent / "fixtures" / "people"


@pytest.fixture(scope="module")
def people():
    return load_story(PEOPLE)


# ---- the status panel -----------------------------------------------------------------------------


def test_only_the_people_this_game_has_met_are_shown(people, tmp_path):
    session = Session.new(people, SaveFolder(tmp_path), seed=1)
    rows = status(people, session.state, session.change, session.unlocked)
    assert [r.label for r in rows.people] == ["Nina Orlova"]  # Belov is named only in the corridor
    session.take("wait")
    rows = status(people, session.state, session.change, session.unlocked)
    assert [r.label for r in rows.people] == ["Nina Orlova", "Sergeant Belov"]
    # a new game knows nothing of the last one
    again = Session.new(people, SaveFolder(tmp_path), seed=1)
    assert [r.label for r in status(people, again.state, again.change, again.unlocked).people] == ["Nina Orlova"]


def test_a_relationship_at_its_minimum_that_never_moved_is_not_yet_met(people, tmp_path):
    session = Session.new(people, SaveFolder(tmp_path), seed=1)
    session.take("wait")
    belov = status(people, session.state, session.change, session.unlocked).people[1]
    assert belov.unmet and belov.value == 0
    session.take("greet")
    belov = status(people, session.state, session.change, session.unlocked).people[1]
    assert not belov.unmet and belov.value == 1 and belov.delta == 1


def test_a_role_follows_the_story(people, tmp_path):
    state = start_at(people, "corridor", seed=1)
    assert role_of(people, "belov", state) == "Presidium guard"  # as written: not lower-cased
    after = choose(people, state, "greet")
    assert role_of(people, "belov", after) == "Presidium guard, and your friend"


def test_the_status_rows_mark_what_the_last_choice_moved(mini, tmp_path):
    session = Session.new(mini, SaveFolder(tmp_path), seed=1)
    session.take("take_key")
    rows = status(mini, session.state, session.change, session.unlocked)
    assert [(r.label, r.delta) for r in rows.meters] == [("Nerve", 1)]
    assert [(r.label, r.delta) for r in rows.people] == [("Nina Orlova", 0)]


# ---- notices ---------------------------------------------------------------------------------------


def test_notices_are_the_story_lines_for_what_moved(mini, tmp_path):
    folder = SaveFolder(tmp_path)
    session = Session.new(mini, folder, seed=1)
    session.take("wait")
    assert session.notices == ("Orlova will remember this.",)
    session.take("leave")  # nerve -9: the fixture declares no line for nerve going down
    assert session.change.stats == {"nerve": -2} and session.notices == ()
    session.undo()
    assert session.notices == ("Orlova will remember this.",)  # the scene shown again, with its result
    folder.profile.set_setting("notices", False)
    assert session.notices == () and session.change.notices == ("Orlova will remember this.",)


# ---- the story so far ------------------------------------------------------------------------------


def test_the_story_so_far_shows_each_scene_as_it_was_read(mini, tmp_path):
    session = Session.new(mini, SaveFolder(tmp_path), seed=1)
    assert session.story_so_far() == []
    session.take("take_key")
    session.take("open_door")
    pages = session.story_so_far()
    assert [p.choice for p in pages] == ["Take the key.", "Open the door."]
    assert pages[0].header() == "Chapter 1: The Key | 5 March 1953 | A corridor near the Kremlin"
    assert pages[0].result == "The key is heavier than it looks."
    # the hall as it was shown then: with the passage about the key
    assert "The key is cold in your pocket." in pages[1].text and all(p.exact for p in pages)


def test_the_story_so_far_survives_save_and_load(mini, tmp_path):
    folder = SaveFolder(tmp_path)
    session = Session.new(mini, folder, seed=1)
    for choice in ("peek", "wait", "talk"):
        session.take(choice)
    assert session.save("2").done
    loaded = Session.from_loaded(mini, folder, folder.load(mini, "2"))
    assert loaded.story_so_far() == session.story_so_far()
    assert "You remember the snow." in loaded.story_so_far()[2].text  # a passage that held then


def test_the_story_so_far_of_a_changed_story_shows_the_scenes_as_they_read_now(pack):
    story = load_story(pack)
    state = new_game(story, 1)
    for choice in ("take_key", "open_door", "leave"):
        state = choose(story, state, choice)
    path = pack / "one" / "scenes.toml"
    path.write_text(path.read_text().replace('id = "open_door"', 'id = "unlock"'))
    pages = story_so_far(load_story(pack), state)
    assert [p.exact for p in pages] == [True, True, False]  # the replay stops where the story changed
    assert "The key is cold in your pocket." in pages[1].text
    assert pages[2].text == "Shelves of files, floor to ceiling." and pages[2].choice == "Leave it all."


# ---- the chapter card ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chapters():
    return load_story(PEOPLE.parent / "chapters")


def test_leaving_a_chapter_gives_its_card(chapters, tmp_path):
    session = Session.new(chapters, SaveFolder(tmp_path), seed=1)
    session.take("take")
    assert session.card() is None  # still in chapter one
    session.take("open")  # into the vault, chapter two
    card = session.card()
    assert card is not None and card.heading == "Chapter 1: The Key"
    assert (card.record_title, card.private_title) == ("The file", "What you know")
    assert card.record == ("A visitor to the typing pool.", "Steady under *questioning*.")
    assert card.private == ("You kept the key.",)
    assert [i.title for i in card.items if i.kind == "choice"] == ["Take the key.", "Go through."]
    assert [i.title for i in card.items if i.kind == "event"] == ["A death in March"]  # not April's
    session.take("read")  # an ending in chapter two: that chapter's card
    assert session.card().chapter == "two" and session.card().record == ("Seen in the vault.",)
    assert [i.title for i in session.card().items if i.kind == "choice"] == ["Read a file."]


def test_an_ending_reached_from_a_chapter_closes_it_with_its_card(chapters, tmp_path):
    session = Session.new(chapters, SaveFolder(tmp_path), seed=1)
    session.take("leave")
    session.take("home")  # from the door straight to an ending of chapter one
    card = session.card()
    assert card.chapter == "one" and card.private == ("Your hands are empty.",)
    assert card.record == ("A visitor to the typing pool.",)


def test_a_chapter_without_card_phrases_has_no_card(mini, tmp_path):
    session = Session.new(mini, SaveFolder(tmp_path), seed=1)
    session.take("take_key")
    session.take("open_door")
    assert session.change.left_chapter == "one" and session.card() is None


# ---- what outlives a game: marks, scenes read, the endings gallery --------------------------------


def test_choices_taken_in_an_earlier_playthrough_are_marked(mini, tmp_path):
    folder = SaveFolder(tmp_path)
    first = Session.new(mini, folder, seed=1)
    first.take("wait")
    assert not first.taken_before("wait")  # this game's own choice is not "earlier"
    first.remember()
    second = Session.new(mini, folder, seed=1)
    assert second.taken_before("wait") and not second.taken_before("take_key")
    assert second.read_before and not first.read_before
    data = json.loads((tmp_path / "profile.json").read_text())
    assert data["choices"] == {"fixture": ["start.wait"]} and data["scenes"] == {"fixture": ["hall", "start"]}


def test_a_scene_come_back_to_counts_as_read(mini, tmp_path):
    session = Session.new(mini, SaveFolder(tmp_path), seed=1)
    session.take("peek")  # back to the corridor
    assert session.read_before


def test_the_endings_gallery_shows_found_endings_and_hints(mini):
    gallery = endings_gallery(mini, {"end_rich"})
    assert [(e.id, e.found, e.title) for e in gallery] == [
        ("end_quiet", False, NO_HINT),
        ("end_rich", True, "The File"),
        ("end_caught", False, "Take a gamble with a folder."),
    ]
    assert gallery[1].tone == "hopeful" and gallery[2].interim


def test_the_gallery_points_to_hints_only_while_endings_are_missing(mini):
    assert gallery_summary(endings_gallery(mini, set())) == "Endings found: 0 of 3. The others, by a hint."
    assert gallery_summary(endings_gallery(mini, {"end_rich"})) == "Endings found: 1 of 3. The others, by a hint."
    every = gallery_summary(endings_gallery(mini, set(mini.endings)))
    assert every == "Endings found: 3 of 3. Every ending is found." and "hint" not in every


# ---- the codex ----------------------------------------------------------------------------------------


def test_the_codex_knows_its_newest_entry_and_first_mentions(people, tmp_path):
    session = Session.new(people, SaveFolder(tmp_path), seed=1)
    assert session.first_mentions == ("orlova",) and session.newest_codex == "orlova"
    session.take("wait")
    assert session.first_mentions == ("belov",) and session.newest_codex == "belov"
    session.take("pass")
    assert session.first_mentions == () and session.codex_order == ["orlova", "belov"]
    assert mention_words(people, "Belov and Nina Orlova, Orlova.", {"orlova", "belov"}) == ["Belov", "Nina Orlova"]


def test_a_loaded_game_knows_the_order_its_codex_was_found(people, tmp_path):
    folder = SaveFolder(tmp_path)
    session = Session.new(people, folder, seed=1)
    session.take("wait")
    session.take("pass")
    session.save("1")
    loaded = Session.from_loaded(people, folder, folder.load(people, "1"))
    assert loaded.codex_order == ["orlova", "belov"] and loaded.newest_codex == "belov"
    assert loaded.first_mentions == ()  # the door names nobody new


def test_codex_passages_show_only_when_their_condition_holds(mini):
    entry = mini.codex["vault-term"]
    assert codex_text(mini, entry, None) == "A locked room for files."
    start = new_game(mini, 1)
    assert codex_text(mini, entry, start) == "A locked room for files."
    vault = choose(mini, choose(mini, start, "take_key"), "open_door")
    assert codex_text(mini, entry, vault) == "A locked room for files.\n\nYou have held the key to one."


def test_the_written_chapters_are_derived_from_the_story(mini, shipped):
    assert story_scope(shipped) == "The whole story: 10 chapters and an epilogue, March 1953 to November 1961; 11 endings."
    assert story_scope(mini) == "Written so far: chapters 1-2, March 1953 to April 1953."
