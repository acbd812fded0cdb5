"""What the front ends show beside the story: history notes, the timeline, the codex, plain text.

Shared by the Textual game and the plain front end, so both tell the same history. Nothing here
imports Textual or touches the terminal.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from game.story.engine import format_date
from game.story.model import CodexEntry, Scene
from game.story.state import GameState
from game.story.story import Story

# ---- plain text ------------------------------------------------------------------------------

_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", re.S)
_EM_STAR = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])", re.S)
_EM_UNDER = re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])", re.S)
_CODE = re.compile(r"`([^`]*)`")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~", re.S)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_LIST_ITEM = re.compile(r"^\s*([-*+]|\d+[.)])\s+")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")


def plain_inline(text: str) -> str:
    """One line of Markdown without its emphasis markers, links as 'text (url)'."""
    text = _LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})" if m.group(2) else m.group(1), text)
    text = _CODE.sub(r"\1", text)
    for _ in range(3):  # nested emphasis such as ***this***
        before = text
        text = _STRONG.sub(r"\2", text)
        text = _EM_STAR.sub(r"\1", text)
        text = _EM_UNDER.sub(r"\1", text)
        text = _STRIKE.sub(r"\1", text)
        if text == before:
            break
    return text.replace("\\*", "*").replace("\\_", "_")


def blocks(markdown: str) -> list[tuple[str, str]]:
    """Markdown prose as (kind, text) blocks: 'p', 'h', 'quote', 'item', 'rule'.

    The one block parser of the game: the Textual prose widget styles the blocks, the plain front
    end prints them. Lines of a paragraph are joined; an item keeps its marker ('-' or '1.');
    inline Markdown is left for the caller.
    """
    out: list[tuple[str, str]] = []
    kind, lines = "p", []

    def flush() -> None:
        nonlocal lines
        if lines:
            out.append((kind, " ".join(lines)))
            lines = []

    for raw in markdown.strip().splitlines():
        line = raw.strip()
        if not line:
            flush()
            continue
        if _RULE.match(line):
            flush()
            out.append(("rule", ""))
            continue
        heading = _HEADING.match(line)
        if heading:
            flush()
            out.append(("h", heading.group(1)))
            continue
        if line.startswith(">"):
            if kind != "quote":
                flush()
            kind = "quote"
            lines.append(line.lstrip(">").strip())
            continue
        item = _LIST_ITEM.match(line)
        if item:
            flush()
            kind = "item"
            marker = "-" if item.group(1) in ("-", "*", "+") else item.group(1)
            lines.append(f"{marker} {line[item.end():]}")
            continue
        if kind in ("quote", "item"):
            flush()
            kind = "p"
        lines.append(line)
    flush()
    return out


def plain_paragraphs(markdown: str) -> list[str]:
    """Markdown prose as plain paragraphs: each block on one line, emphasis markers removed."""
    paragraphs = ["* * *" if kind == "rule" else plain_inline(text) for kind, text in blocks(markdown)]
    return [p for p in paragraphs if p]


def plain_text(markdown: str) -> str:
    return "\n\n".join(plain_paragraphs(markdown))


# ---- history notes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    id: str
    cite: str
    url: str = ""


@dataclass(frozen=True)
class HistoryNote:
    """What actually happened around a scene: its event, or at least its sources."""

    title: str
    date_text: str
    summary: str
    disputed: str
    sources: tuple[Citation, ...]
    has_event: bool


def citations(story: Story, ids: tuple[str, ...] | list[str]) -> tuple[Citation, ...]:
    out = []
    for sid in dict.fromkeys(ids):
        source = story.sources.get(sid)
        if source is not None:
            out.append(Citation(sid, source.cite, source.url))
    return tuple(out)


def history_note(story: Story, scene: Scene) -> HistoryNote:
    event = story.events.get(scene.event) if scene.event else None
    if event is not None:
        return HistoryNote(
            title=event.title,
            date_text=format_date(event.date, event.precision),
            summary=event.summary.strip(),
            disputed=event.disputed.strip(),
            sources=citations(story, (*event.sources, *scene.sources)),
            has_event=True,
        )
    return HistoryNote(
        title=scene.place,
        date_text=format_date(scene.date),
        summary="",
        disputed="",
        sources=citations(story, scene.sources),
        has_event=False,
    )


# ---- the timeline ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineItem:
    """One row of the journal: a documented event, or a decision of yours."""

    date: dt.date
    kind: Literal["event", "choice"]
    date_text: str
    title: str
    detail: str = ""
    place: str = ""
    #: an event after the current scene's date: history still ahead of you
    ahead: bool = False
    disputed: bool = False


def timeline(story: Story, state: GameState | None, *, events: bool = True) -> list[TimelineItem]:
    """Your decisions interleaved with the documented events, in date order.

    On the same day the event comes first, then your decisions in the order you made them.
    """
    now = story.scenes[state.scene].date if state is not None and state.scene in story.scenes else None
    rows: list[tuple[tuple[dt.date, int, int], TimelineItem]] = []
    if events:
        for k, event in enumerate(sorted(story.events.values(), key=lambda e: (e.date, e.id))):
            item = TimelineItem(
                date=event.date,
                kind="event",
                date_text=format_date(event.date, event.precision),
                title=event.title,
                detail=event.summary.strip(),
                ahead=now is not None and event.date > now,
                disputed=bool(event.disputed.strip()),
            )
            rows.append(((event.date, 0, k), item))
    if state is not None:
        for entry in state.journal:
            scene = story.scenes.get(entry.scene)
            item = TimelineItem(
                date=entry.date,
                kind="choice",
                date_text=format_date(entry.date),
                title=plain_inline(entry.text),
                detail=plain_text(entry.result),
                place=scene.place if scene else "",
            )
            rows.append(((entry.date, 1, entry.turn), item))
    rows.sort(key=lambda row: row[0])
    return [item for _, item in rows]


# ---- the codex -----------------------------------------------------------------------------------


def scene_mentions(story: Story, text: str, result: str = "") -> set[str]:
    """Codex ids a scene's shown prose (and the result that led to it) mentions."""
    return set(story.mentions(f"{result}\n\n{text}" if result else text))


def unlocked_codex(story: Story, state: GameState) -> set[str]:
    """Codex entries the scenes of a (possibly loaded) game have mentioned.

    Derived from the scenes visited (their main text) and the results read on the way, so a game
    loaded from a save shows the same codex as the one that was played.
    """
    found: set[str] = set()
    for scene_id in state.visits:
        scene = story.scenes.get(scene_id)
        if scene is not None:
            found.update(story.mentions(scene.text))
    for entry in state.journal:
        if entry.result:
            found.update(story.mentions(entry.result))
    return found


def codex_in_order(story: Story, state: GameState, *, current: bool = True) -> list[str]:
    """The entries a game has unlocked, in the order its prose first named them (the scenes of
    its journal with the results read after them, then the current scene unless not `current`)."""
    found: dict[str, None] = {}
    for entry in state.journal:
        scene = story.scenes.get(entry.scene)
        if scene is not None:
            found.update(dict.fromkeys(story.mentions(scene.text)))
        if entry.result:
            found.update(dict.fromkeys(story.mentions(entry.result)))
    scene = story.scenes.get(state.scene)
    if current and scene is not None:
        found.update(dict.fromkeys(story.mentions(scene.text)))
    return list(found)


def mention_words(story: Story, text: str, ids: set[str] | list[str]) -> list[str]:
    """The words of `text` that first name each of `ids` (a name or an alias), in order: what the
    prose marks as a first mention."""
    pattern, words = story._mention_pattern
    wanted, out = set(ids), []
    if pattern is None or not wanted:
        return out
    for match in pattern.finditer(text):
        entry = words[match.group(1)]
        if entry in wanted:
            wanted.discard(entry)
            out.append(match.group(1))
    return out


def codex_text(story: Story, entry: CodexEntry, state: GameState | None) -> str:
    """An entry's text with the passages whose condition holds in the game being played (none
    without a game)."""
    from game.story.engine import shown_holds

    parts = [entry.text.strip()]
    if state is not None:
        for k, passage in enumerate(entry.passage):
            key = ("codex", entry.id, k)
            if key in story.shown_conditions and shown_holds(story, state, key):
                parts.append(passage.text.strip())
    return "\n\n".join(p for p in parts if p)


CODEX_KINDS = (("person", "People"), ("place", "Places"), ("term", "Terms"))


def codex_entries(story: Story, unlocked: set[str], query: str = "") -> dict[str, list[CodexEntry]]:
    """Unlocked entries by kind, sorted by name, filtered by `query` (name, aliases or text)."""
    needle = query.strip().casefold()
    out: dict[str, list[CodexEntry]] = {kind: [] for kind, _ in CODEX_KINDS}
    for entry in story.codex.values():
        if entry.id not in unlocked:
            continue
        if needle and not any(needle in s.casefold() for s in (entry.name, *entry.aliases, entry.text)):
            continue
        out[entry.kind].append(entry)
    for entries in out.values():
        entries.sort(key=lambda e: sort_name(e.name))
    return out


def sort_name(name: str) -> str:
    """'the Kremlin' sorts under K."""
    lowered = name.casefold()
    for article in ("the ", "a ", "an "):
        if lowered.startswith(article):
            return lowered[len(article):]
    return lowered


def story_scope(story: Story) -> str:
    """What the story covers, for the title screen and the README, derived from the story so it is
    never out of date. While it stops at an interim ending: 'Written so far: chapters 1-4, March
    1953 to December 1954.' Finished: 'The whole story: 10 chapters and an epilogue, March 1953 to
    November 1961; 12 endings.'"""
    numbers = sorted(c.number for c in story.chapters.values() if any(s.chapter == c.id for s in story.scenes.values()))
    if not numbers:
        return ""
    epilogues = {s.chapter for s in story.scenes.values() if "epilogue" in s.tags}
    dates = [s.date for s in story.scenes.values() if "epilogue" not in s.tags and s.chapter in story.chapters]
    first, last = format_date(min(dates), "month"), format_date(max(dates), "month")
    span = first if first == last else f"{first} to {last}"
    if not any(s.ending and s.ending.kind == "interim" for s in story.endings.values()):
        main = [c.number for c in story.chapters.values() if c.id not in epilogues and c.number in numbers]
        chapters = f"{len(main)} chapter{'s' if len(main) != 1 else ''}" + (" and an epilogue" if epilogues else "")
        count = len(story.endings)
        return f"The whole story: {chapters}, {span}; {count} ending{'s' if count != 1 else ''}."
    if numbers == list(range(numbers[0], numbers[-1] + 1)) and len(numbers) > 1:
        which = f"chapters {numbers[0]}-{numbers[-1]}"
    elif len(numbers) == 1:
        which = f"chapter {numbers[0]}"
    else:
        which = "chapters " + ", ".join(str(n) for n in numbers)
    return f"Written so far: {which}, {span}."


def bibliography(story: Story, query: str = "") -> list[Citation]:
    needle = query.strip().casefold()
    cites = [Citation(s.id, s.cite, s.url) for s in story.sources.values()]
    if needle:
        cites = [c for c in cites if needle in c.cite.casefold() or needle in c.url.casefold()]
    return sorted(cites, key=lambda c: c.cite.casefold())
