"""The shipped chapter cards of 1955-56: each path gets its own file's heading, something of its
own private truth, and no phrase of the story's cards is one that no player can be shown."""

from __future__ import annotations

import random

import pytest

from game.session.card import chapter_card
from game.session.change import chapter_left
from game.story.engine import available_choices, choose, new_game

PART_TWO = ("year-1955", "february-1956", "year-1956")
HEADINGS = {  # the first record line of each path's card: whose file it is
    "moscow": ("Zorin, A. I., instructor of the sector.", "Zorin, A. I., born 1921, until March 1956 instructor of the sector."),
    "camp": ("Zorin, A. I., born 1921, convicted under Article 58", "Zorin, A. I., born 1921. The sentence of December 1953 set aside"),
    "steppe": ("Zorin, A. I., secretary of a district committee, Akmolinsk oblast.",),
}


def _strand(flags) -> str:
    return "camp" if flags["arrested_1953"] else "steppe" if flags["sent_east_1954"] else "moscow"


@pytest.fixture(scope="module")
def cards(shipped):
    """The cards of chapters 5-7 as 800 seeded random runs leave them: (chapter, path, card)."""
    found = []
    for seed in range(800):
        rng, state = random.Random(seed), new_game(shipped, seed=seed)
        while not shipped.scenes[state.scene].is_ending:
            after = choose(shipped, state, rng.choice(available_choices(shipped, state)).id)
            left = chapter_left(shipped, state, after)
            if left in PART_TWO:
                found.append((left, _strand(after.flags), chapter_card(shipped, after, left)))
            state = after
    return found


def test_every_path_gets_its_own_heading_and_a_private_truth(cards):
    paths = {(chapter, path) for chapter, path, _ in cards}
    assert paths == {(c, p) for c in PART_TWO for p in HEADINGS}  # every path reaches every chapter's end
    for chapter, path, card in cards:
        headings = [line for line in card.record if line.startswith("Zorin, A. I.")]
        assert len(headings) == 1 and headings[0] == card.record[0], (chapter, path, card.record)
        assert headings[0].startswith(HEADINGS[path]), (chapter, path, headings[0])
        assert card.private, (chapter, path)


def test_every_card_phrase_of_1955_and_1956_is_shown_to_some_player(shipped, cards):
    shown = {(chapter, line) for chapter, _, card in cards for line in (*card.record, *card.private)}
    never = [(c, line.text) for c in PART_TWO for line in shipped.chapters[c].card if (c, line.text.strip()) not in shown]
    assert never == []
