"""The new screens and what the play screen now shows, through Pilot: the story so far, the
chapter card, the endings gallery, notices, marks of an earlier game, skipping scenes read
before, the codex that notices, and the settings that turn them on and off."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.ui.app import create_app
from terminal import screen_text, settle
from game.ui.screens.card import ChapterCardScreen
from game.ui.screens.codex import CodexScreen
from game.ui.screens.ending import EndingScreen
from game.ui.screens.gallery import EndingsScreen
from game.ui.screens.notes import JournalScreen
from game.ui.screens.play import PlayScreen
from game.ui.screens.record import StorySoFarScreen
from game.ui.screens.settings import SettingsScreen
from game.ui.screens.title import TitleScreen
from game.ui.widgets.choices import TAKEN_MARK, ChoiceList
from game.ui.widgets.prose import Prose

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "tests" / "fixtures" / "chapters"


def flat(app) -> str:
    return " ".join(screen_text(app).split())


@pytest.fixture
def saves(tmp_path: Path) -> Path:
    return tmp_path / "saves"


@pytest.fixture(scope="module")
def chapters():
    from game.story.loader import load_story

    return load_story(CHAPTERS)


# ---- the story so far -------------------------------------------------------------------------------


async def test_b_opens_the_story_so_far_at_its_end_and_closes(mini, saves):
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "b")
        await settle(pilot)
        assert isinstance(app.screen, StorySoFarScreen)
        assert "Nothing yet: the story so far begins with your first decision." in flat(app)
        await pilot.press("escape", "3", "2", "2", "b")
        await settle(pilot)
        text = app.screen.query_one("#record-text").render().plain
        assert text.index("You chose: Look out of the window.") < text.index("You chose: Wait for Orlova.")
        assert "Chapter 1: The Key \u00b7 6 March 1953 \u00b7 The hall" in text and "You remember the snow." in text
        body = app.screen.query_one("#record-body")
        assert body.max_scroll_y > 0 and body.scroll_y == body.max_scroll_y  # opens at the newest page
        await pilot.press("home")
        await pilot.pause()
        assert body.scroll_y == 0
        await pilot.press("j")  # switches to the journal, like h and c
        await pilot.pause()
        assert isinstance(app.screen, JournalScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)


async def test_the_story_so_far_survives_save_and_load(mini, saves):
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "3", "2", "f5")
        await settle(pilot)
        before = app.session.story_so_far()
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("f9", "b")
        await settle(pilot)
        assert app.session.story_so_far() == before
        assert "You chose: Look out of the window." in app.screen.query_one("#record-text").render().plain


# ---- the chapter card ---------------------------------------------------------------------------------


async def test_leaving_a_chapter_shows_its_card_then_the_next_scene(chapters, saves):
    app = create_app(chapters, seed=1, saves_dir=saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "1")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)  # same chapter: no card
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, ChapterCardScreen)
        text = flat(app)
        assert "Chapter 1: The Key" in text and "THE FILE" in text and "WHAT YOU KNOW" in text
        record = app.screen.query_one("#card-record .card-text").render().plain
        private = app.screen.query_one("#card-private .card-text").render().plain
        assert record == "A visitor to the typing pool. Steady under questioning."
        assert private == "You kept the key."
        assert "What happened" in text and "A death in March" in text and "Later in April" not in text
        assert "Take the key." in text and "Go through." in text
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.state.scene == "vault"
        await pilot.press("1")  # the ending closes chapter two: its card over the ending screen
        await settle(pilot)
        assert isinstance(app.screen, ChapterCardScreen) and "Seen in the vault." in flat(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)


async def test_a_chapter_card_continues_with_a_click(chapters, saves):
    app = create_app(chapters, seed=1, saves_dir=saves)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", "2", "1")
        await settle(pilot)
        assert "Your hands are empty." in flat(app)
        assert await pilot.click("#card-continue")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)


async def test_undo_after_a_card_shows_no_card(chapters, saves):
    app = create_app(chapters, seed=1, saves_dir=saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "1", "1", "escape", "u")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen) and app.state.scene == "door"


# ---- the endings gallery --------------------------------------------------------------------------------


async def test_the_endings_gallery_shows_found_endings_and_hints(mini, saves):
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, EndingsScreen)
        text = flat(app)
        assert "Endings found: 0 of 3" in text and "? Find the right file." in text and "? Not found yet." in text
        await pilot.press("escape", "n", "2", "3")  # home: A Quiet Life
        await settle(pilot)
        assert isinstance(app.screen, EndingScreen)
        await app.run_action("title")
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("e")
        await settle(pilot)
        text = flat(app)
        assert "Endings found: 1 of 3" in text and "\u2713 A Quiet Life" in text and "A bitter ending" in text
        assert "Find the right file." in text  # the others still by their hints


async def test_the_title_menu_lists_the_endings(mini, saves):
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Endings" in screen_text(app)
        names = [name for name, _help, _run in app.game_commands()]
        assert "Endings" in names and "Story so far" in names


# ---- notices, marks, skipping, the codex ---------------------------------------------------------------


async def test_a_notice_in_the_story_voice_comes_with_the_result(mini, saves):
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "2")
        await settle(pilot)
        result = app.screen.query_one("#result").render().plain
        assert result == "She looks up and nods.\nOrlova will remember this."
        await pilot.press("escape")
        await pilot.pause()
        app.push_screen(SettingsScreen())
        await pilot.pause()
        app.screen.query_one("#set-notices").toggle()
        await settle(pilot)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")  # the menu
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.query_one("#result").render().plain == "She looks up and nods."
    assert json.loads((saves / "profile.json").read_text())["settings"]["notices"] is False


async def test_choices_of_an_earlier_game_carry_a_mark(mini, saves):
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "2", "3")  # wait, go home
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        choices = app.screen.query_one(ChoiceList)
        prompts = [str(choices.get_option_at_index(k).prompt) for k in range(choices.option_count)]
        assert prompts[1].endswith("Wait for Orlova." + TAKEN_MARK) and not prompts[0].endswith(TAKEN_MARK)
        assert "Wait for Orlova. \u2713" in screen_text(app)


async def test_skipping_folds_a_scene_read_before_until_r(mini, saves):
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "2", "3")
        await settle(pilot)
        app.profile.set_setting("skip_read", True)
        await pilot.press("n")
        await settle(pilot)
        assert "You have read this scene before. Press r to read it again" in flat(app)
        assert "You stand in a long corridor" not in screen_text(app)
        assert app.screen.query_one(ChoiceList).option_count == 3  # the choices are there at once
        await pilot.press("r")
        await pilot.pause()
        assert "You stand in a long corridor" in screen_text(app)
        await pilot.press("1")  # the hall: read in the first game, folded too
        await settle(pilot)
        assert "A hall with a locked door" not in screen_text(app)
        await pilot.press("1")  # the vault: never read before
        await settle(pilot)
        assert "Shelves of files, floor to ceiling." in screen_text(app)


async def test_a_first_mention_is_marked_and_c_opens_the_codex_at_the_newest_entry(saves):
    from game.story.loader import load_story

    people = load_story(ROOT / "tests" / "fixtures" / "people")
    app = create_app(people, seed=1, saves_dir=saves)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "1")
        await settle(pilot)
        prose = app.screen.query_one(Prose)
        rendered = prose.render()
        marked = [rendered.plain[s.start:s.end] for s in rendered.spans if "underline" in str(s.style)]
        assert marked == ["Belov"]
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CodexScreen)
        menu = app.screen.query_one("#codex-list")
        assert menu.get_option_at_index(menu.highlighted).id == "belov"
        assert "A guard at the Presidium's door." in flat(app) and "newest" in flat(app)
        await pilot.press("down", "up")  # the arrows move the list while the filter has the keys
        await pilot.pause()
        assert app.screen.query_one("#codex-filter").has_focus


async def test_a_codex_passage_shows_once_its_condition_holds(mini, saves):
    app = create_app(mini, seed=1, saves_dir=saves)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n", "1")
        await settle(pilot)
        app.session.unlocked.add("vault-term")
        await pilot.press("c")
        await settle(pilot)
        app.screen.show_entry("vault-term")
        await pilot.pause()
        assert "You have held the key to one." in flat(app)
