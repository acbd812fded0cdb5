"""Spelling: words that neither the dictionary nor the story's own word list knows.

The dictionary is pyspellchecker's English word list (pure Python, no system library, kept up
to date on PyPI; docs/authoring.md says why it was chosen). It is American, and the story is written
in British spelling, so a word is also accepted when an American form of it is known (colour ->
color, realise -> realize, centre -> center, centred -> centered, travelled -> traveled, defence ->
defense, draughtsman -> draftsman), and a word written with accents is looked up without them too
(façade). The
project's word list (`[style] words`, default words.txt in the story folder) holds the names,
transliterations and period terms; the codex's names and aliases and the cast's names count as
listed too.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from game.story.story import Story
from game.tools.style.prose import all_pieces, words

_VARIANTS = (
    (re.compile(r"our(s|ed|ing|ful|ite|ites|able|ably|er|ers|less)?$"), r"or\1"),
    (re.compile(r"is(e|es|ed|ing|ation|ations|ational|er|ers)$"), r"iz\1"),
    (re.compile(r"ys(e|es|ed|ing)$"), r"yz\1"),
    (re.compile(r"tre(s)?$"), r"ter\1"),
    (re.compile(r"tr(ed|ing)$"), r"ter\1"),
    (re.compile(r"ll(ed|ing|er|ers)$"), r"l\1"),
    (re.compile(r"ence(s)?$"), r"ense\1"),
    (re.compile(r"ogue(s)?$"), r"og\1"),
    (re.compile(r"ae"), "e"),
    (re.compile(r"grey"), "gray"),
    (re.compile(r"^draught(?=s|sman|smen|swoman|y|ier|iest|ing|ed)"), "draft"),  # draughtsman, draughty
)


@dataclass
class Unknown:
    word: str  # as first written
    count: int
    items: list[str] = field(default_factory=list)  # "scene:ID" / "codex:ID" / "event:ID", each once


def word_list_path(story: Story) -> Path:
    return story.root / story.style.words


def read_word_list(path: Path) -> set[str]:
    """One word a line (any case); `#` starts a comment; several words on a line are all listed."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return set()
    out: set[str] = set()
    for line in text.splitlines():
        out.update(w.lower() for w in words(line.split("#", 1)[0]))
    return out


def story_names(story: Story) -> set[str]:
    """Words the story declares itself: codex names and aliases, the cast's names."""
    names = [e.name for e in story.codex.values()] + [a for e in story.codex.values() for a in e.aliases]
    names += [p.name for p in story.people.values()]
    return {w.lower() for name in names for w in words(name)}


def misspelt(story: Story) -> list[Unknown]:
    from spellchecker import SpellChecker

    checker = SpellChecker(language="en")
    allowed = read_word_list(word_list_path(story)) | story_names(story)
    found: dict[str, Unknown] = {}
    for piece in all_pieces(story):
        for word in words(piece.text):
            key = _plain(word)
            if len(key) < 2 or _listed(key, allowed):
                continue
            entry = found.get(key)
            if entry is None:
                entry = found[key] = Unknown(word[:len(key)], 0)
            entry.count += 1
            label = f"{piece.kind}:{piece.id}"
            if label not in entry.items:
                entry.items.append(label)
    known = checker.known(found)
    unknown = [k for k in found if k not in known and not checker.known(_american(k))]
    return sorted((found[k] for k in unknown), key=lambda u: (-u.count, u.word.lower()))


def _listed(word: str, allowed: set[str]) -> bool:
    """In the word list, or a plural of a listed word (Filimonovs, sovkhozes)."""
    return word in allowed or (word.endswith("s") and (word[:-1] in allowed or (word.endswith("es") and word[:-2] in allowed)))


def _plain(word: str) -> str:
    """Lower case, without a possessive 's (the dictionary lists the bare word)."""
    word = word.lower()
    return word[:-2] if word.endswith("'s") else word


def _american(word: str) -> set[str]:
    """The dictionary's forms of a British word, and the word without its accents (façade)."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch))
    out = {plain} if plain != word else set()
    for pattern, repl in _VARIANTS:
        changed = pattern.sub(repl, word, count=1)
        if changed != word:
            out.add(changed)
    return out
