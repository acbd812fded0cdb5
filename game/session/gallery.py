"""The endings gallery: every ending of the story, found or not, for the title screen.

An ending found in any playthrough (profile.json) shows its title and tone; one not yet found shows
the hint the story gives in `[endings.ID]`, so the gallery is a reason to play again, not a list
of spoilers.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.story.story import Story

NO_HINT = "Not found yet."


@dataclass(frozen=True)
class Ending:
    id: str
    found: bool
    #: the title when found, else the hint
    title: str
    tone: str = ""
    interim: bool = False
    chapter: str = ""


def gallery_summary(gallery: list[Ending]) -> str:
    """The gallery's first line: how many are found, and a pointer to the hints only while some
    are still missing."""
    count, total = sum(e.found for e in gallery), len(gallery)
    if total and count == total:
        return f"Endings found: {count} of {total}. Every ending is found."
    return f"Endings found: {count} of {total}. The others, by a hint."


def endings_gallery(story: Story, found: set[str] | frozenset[str] | list[str]) -> list[Ending]:
    """The story's endings in play order (chapter, then date), each found or hinted at."""
    found = set(found)
    numbers = {cid: c.number for cid, c in story.chapters.items()}
    out = []
    for sid, scene in sorted(story.endings.items(), key=lambda kv: (numbers.get(kv[1].chapter, 0), kv[1].date, kv[0])):
        info = scene.ending
        assert info is not None
        chapter = story.chapters.get(scene.chapter)
        where = f"Chapter {chapter.number}: {chapter.title}" if chapter else ""
        if sid in found:
            out.append(Ending(sid, True, info.title, info.tone, info.kind == "interim", where))
        else:
            note = story.ending_notes.get(sid)
            out.append(Ending(sid, False, note.hint.strip() if note else NO_HINT, "", info.kind == "interim", where))
    return out
