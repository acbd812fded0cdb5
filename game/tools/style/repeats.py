"""Repeated phrases: word n-grams (3 to 8 words) that recur across the story's scenes.

Each scene's prose is cut at sentence punctuation (a phrase does not run across a full stop) and
every run of 3 to 8 words is counted. A phrase is listed when it is used at least `repeats` times,
unless it is only part of a longer listed phrase used as often (so "the door of the" under "the
door of the office" is not listed twice), or made only of the commonest small words ("one of the").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from game.story.story import Story
from game.tools.style.prose import scene_pieces, words

MIN_WORDS, MAX_WORDS = 3, 8
_CLAUSE = re.compile(r"[.!?;:()\[\]\"“”—–]+|\s-\s")
#: words too common to make a phrase worth reporting on their own
COMMON = frozenset("""
a an the and or but if of to in on at by for from with as is are was were be been it its it's this that
these those there here he she they we you i me him her them us his their our your my not no do does did
so than then up out what who which when how all one into over
""".split())


@dataclass
class Repeat:
    phrase: str
    count: int
    scenes: list[str]  # in story order, each once


def repeated_phrases(story: Story, repeats: int) -> list[Repeat]:
    counts: dict[tuple[str, ...], int] = {}
    where: dict[tuple[str, ...], dict[str, None]] = {}
    for sid in story.scenes:
        for piece in scene_pieces(story, sid):
            for clause in _CLAUSE.split(piece.text):
                ws = [w.lower() for w in words(clause)]
                for n in range(MIN_WORDS, MAX_WORDS + 1):
                    for i in range(len(ws) - n + 1):
                        gram = tuple(ws[i:i + n])
                        counts[gram] = counts.get(gram, 0) + 1
                        where.setdefault(gram, {})[sid] = None
    frequent = {g: c for g, c in counts.items() if c >= repeats and not all(w in COMMON for w in g)}
    listed: list[tuple[str, ...]] = []
    for gram in sorted(frequent, key=lambda g: (-len(g), g)):
        if any(frequent[longer] >= frequent[gram] and _inside(gram, longer) for longer in listed):
            continue
        listed.append(gram)
    out = [Repeat(" ".join(g), frequent[g], list(where[g])) for g in listed]
    return sorted(out, key=lambda r: (-r.count, -len(r.phrase.split()), r.phrase))


def _inside(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    n = len(short)
    return len(long) > n and any(long[i:i + n] == short for i in range(len(long) - n + 1))
