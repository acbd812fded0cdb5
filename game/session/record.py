"""The story so far: every scene of this playthrough as it was shown, the choice taken, its result.

Rebuilt from the state, never stored: the engine is deterministic, so replaying the journal from
the story's start with the game's seed shows each scene's prose again exactly as the player read
it (with the passages that held then). A save therefore carries the record for free, and a game
loaded from one shows the same story so far as the game that was played.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.story.engine import ChoiceError, choose, format_date, scene_text, start_at
from game.story.state import GameState
from game.story.story import Story


@dataclass(frozen=True)
class Page:
    """One decision: where it was, the prose read there, the choice taken and what came of it."""

    turn: int
    chapter: str
    date_text: str
    place: str
    text: str
    choice: str
    result: str
    #: False when the story has changed since: the prose is the scene's as it reads now
    exact: bool = True

    def header(self, sep: str = " | ") -> str:
        return sep.join(part for part in (self.chapter, self.date_text, self.place) if part)


def story_so_far(story: Story, state: GameState) -> list[Page]:
    """One Page per decision of `state`, in order (empty at the start of a game)."""
    pages: list[Page] = []
    current: GameState | None = None
    if story.info.start in story.scenes:
        current = start_at(story, story.info.start, seed=state.seed)
    for entry in state.journal:
        exact = current is not None and current.scene == entry.scene
        scene = story.scenes.get(entry.scene)
        if exact:
            text = scene_text(story, current)  # type: ignore[arg-type]
        else:
            text = scene.text.strip() if scene is not None else ""
        chapter = story.chapters.get(entry.chapter)
        pages.append(Page(
            turn=entry.turn,
            chapter=f"Chapter {chapter.number}: {chapter.title}" if chapter else "",
            date_text=format_date(entry.date),
            place=scene.place if scene is not None else "",
            text=text,
            choice=entry.text,
            result=entry.result,
            exact=exact,
        ))
        if exact:
            try:
                current = choose(story, current, entry.choice)  # type: ignore[arg-type]
            except (ChoiceError, KeyError, ValueError):
                current = None  # the story has changed: the rest is shown as it reads now
        else:
            current = None
    return pages
