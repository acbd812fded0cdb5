"""The chapter card: what the file says of you beside the private truth, when a chapter ends.

The story declares the phrases (`[[chapter.card]]`, each on the record side or the private side,
each with an optional condition); the card holds those whose condition holds at the chapter's end,
then the chapter's decisions beside the documented events of its dates (the journal's timeline).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from game.reading import TimelineItem, timeline
from game.story.engine import shown_holds
from game.story.state import GameState
from game.story.story import Story


@dataclass(frozen=True)
class Card:
    chapter: str
    number: int
    title: str
    record_title: str
    private_title: str
    record: tuple[str, ...]
    private: tuple[str, ...]
    #: the chapter's decisions and the events of its dates, in date order
    items: tuple[TimelineItem, ...]

    @property
    def heading(self) -> str:
        return f"Chapter {self.number}: {self.title}"


def chapter_card(story: Story, state: GameState, chapter_id: str) -> Card:
    """The card of `chapter_id` as `state` (the game just after the chapter's last choice) reads."""
    chapter = story.chapters[chapter_id]
    record: list[str] = []
    private: list[str] = []
    for k, line in enumerate(chapter.card):
        key = ("card", chapter_id, k)
        if line.if_ is None or (key in story.shown_conditions and shown_holds(story, state, key)):
            (record if line.side == "record" else private).append(line.text.strip())
    dates = [s.date for s in story.scenes.values() if s.chapter == chapter_id and not s.is_ending]
    ours = state.model_copy(update={"journal": tuple(e for e in state.journal if e.chapter == chapter_id)})
    # the decisions without their results (the story so far has those), the events of the dates
    items = tuple(
        replace(item, ahead=False, detail="" if item.kind == "choice" else item.detail)
        for item in timeline(story, ours)
        if item.kind == "choice" or (dates and min(dates) <= item.date <= max(dates))
    )
    return Card(chapter_id, chapter.number, chapter.title, story.info.card.record, story.info.card.private,
                tuple(record), tuple(private), items)
