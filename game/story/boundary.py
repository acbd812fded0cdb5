"""The boundary rule for story files: what a parsed TOML file may hold before it is validated.

A story folder may come from anyone, so every string in it (values and keys) is checked against
the character rule of :mod:`game.text` and every number against a size limit, each breach a
``file:LINE`` problem. Line feeds and tabs are allowed only in prose fields (:data:`PROSE_FIELDS`);
every other text, and every key, is one line.

The TOML parser gives values without positions, so a problem's line is found in two steps: the
line of the field (from :class:`game.story.locate.Locator`), then the first place at or after it
where the source spells the character, raw or as an escape such as ``\\u001b``, ``\\e`` or ``\\x9b``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from game.story.problems import Problem
from game.text import UNSAFE, UNSAFE_ONE_LINE, char_name, iter_strings, kind_of, terminal_text

#: fields whose text may run over several lines (a choice's `text` is its one-line label)
PROSE_FIELDS = frozenset({"text", "result", "summary", "disputed", "help", "if"})
#: the largest number a story file may hold (chapter numbers, stat ranges, effects)
MAX_NUMBER = 10**15 - 1
#: how many character problems one file reports before it says how many more there are
MAX_PROBLEMS_PER_FILE = 5_000

_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|x([0-9a-fA-F]{2})|([befr])|\\)")
_SIMPLE = {"b": "\b", "e": "\x1b", "f": "\f", "r": "\r"}
_LONG_NUMBER = re.compile(r"[0-9a-fA-F_]{300,}")

LineOf = Callable[[tuple[str | int, ...]], int]


def is_prose(path: Sequence[str | int]) -> bool:
    """Whether the string at `path` may hold line feeds and tabs."""
    names = [p for p in path if isinstance(p, str)]
    if not names or names[-1] not in PROSE_FIELDS or not isinstance(path[-1], str):
        return False
    # a choice's own `text` is its label, one line; its `result` and `if` are prose
    return not (names[-1] == "text" and len(names) >= 2 and names[-2] == "choice")


def _tokens(source: str) -> list[tuple[int, str]]:
    """(line, character) of every refused character the source spells, in order."""
    found: list[tuple[int, int, str]] = []
    for m in UNSAFE.finditer(source):
        if m.group() == "\r" and source.startswith("\n", m.end()):
            continue  # a CRLF line ending
        found.append((m.start(), 0, m.group()))
    for m in _ESCAPE.finditer(source):
        hex_code = m.group(1) or m.group(2) or m.group(3)
        if hex_code:
            code = int(hex_code, 16)
            ch = chr(code) if code <= 0x10FFFF else ""
        else:
            ch = _SIMPLE.get(m.group(4) or "", "")
        if ch and UNSAFE.fullmatch(ch):
            found.append((m.start(), 1, ch))
    found.sort()
    lines = []
    line, at = 1, 0
    for pos, _kind, ch in found:
        line += source.count("\n", at, pos)
        at = pos
        lines.append((line, ch))
    return lines


def _context(data: dict[str, Any], path: Sequence[str | int]) -> tuple[str | None, str | None]:
    """The scene and choice ids around `path`, when they are plain ids."""
    if len(path) < 2 or path[0] != "scene" or not isinstance(path[1], int):
        return None, None
    scenes = data.get("scene")
    scene = scenes[path[1]] if isinstance(scenes, list) and path[1] < len(scenes) else None
    if not isinstance(scene, dict):
        return None, None
    sid = scene.get("id") if isinstance(scene.get("id"), str) else None
    cid = None
    if len(path) >= 4 and path[2] == "choice" and isinstance(path[3], int):
        choices = scene.get("choice")
        if isinstance(choices, list) and path[3] < len(choices) and isinstance(choices[path[3]], dict):
            value = choices[path[3]].get("id")
            cid = value if isinstance(value, str) else None
    safe = [terminal_text(x, one_line=True) if x is not None else None for x in (sid, cid)]
    return safe[0], safe[1]


def _label(path: Sequence[str | int], is_key: bool, text: str) -> str:
    if is_key:
        return f"the key '{terminal_text(text, one_line=True)}'" if text else "a key"
    names = [p for p in path if isinstance(p, str)]
    field = names[-1] if names else "a value"
    if isinstance(path[-1], int):
        return f"an item of '{terminal_text(field, one_line=True)}'"
    return f"'{terminal_text(field, one_line=True)}'"


def _advice(ch: str, label: str) -> str:
    if ch in "\n\t":
        return (f"keep {label} on one line: line breaks and tabs are allowed only in prose "
                "(text, result, summary, disputed, help, if)")
    if kind_of(ch) == "a bidirectional override":
        return "remove it: direction overrides can disguise text (right-to-left text needs none)"
    return "remove it: story text may not hold control characters"


def check_strings(data: dict[str, Any], source: str, shown: str, line_of: LineOf) -> list[Problem]:
    """Every breach of the character rule in one parsed file: one problem per character."""
    problems: list[Problem] = []
    tokens: list[tuple[int, str]] | None = None
    used: set[int] = set()
    more = 0
    for path, text, is_key in iter_strings(data):
        pattern = UNSAFE_ONE_LINE if is_key or not is_prose(path) else UNSAFE
        if pattern.search(text) is None:
            continue
        base = line_of(path)
        scene, choice = _context(data, path)
        label = _label(path, is_key, text)
        for m in pattern.finditer(text):
            ch = m.group()
            if len(problems) >= MAX_PROBLEMS_PER_FILE:
                more += 1
                continue
            line = base
            if ch not in "\n\t":
                if tokens is None:
                    tokens = _tokens(source)
                for k, (token_line, token_ch) in enumerate(tokens):
                    if k not in used and token_line >= base and token_ch == ch:
                        used.add(k)
                        line = token_line
                        break
            message = f"{label} holds {kind_of(ch)}, {char_name(ch)}: {_advice(ch, label)}"
            problems.append(Problem(shown, line, message, scene, choice))
    if more:
        problems.append(Problem(shown, 0, f"and {more} more refused characters in this file"))
    return problems


def check_numbers(data: Any, shown: str, line_of: LineOf) -> list[Problem]:
    """Every number of one parsed file beyond MAX_NUMBER (a file with one is not built further:
    the loader's messages would have to print it)."""
    problems = []
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack.extend(((*path, k), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend(((*path, k), v) for k, v in enumerate(value))
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_NUMBER:
            digits = int(value.bit_length() * 0.30103) + 1  # never str(value): it may be too long to convert
            problems.append(Problem(shown, line_of(path), too_long_number(digits)))
    return problems


def too_long_number(digits: int) -> str:
    return (f"a number is too large (about {digits:,} digits): numbers in a story file may have at most "
            f"{len(str(MAX_NUMBER))} digits")


def parser_fault(source: str, shown: str, exc: BaseException) -> Problem:
    """A problem for an error the TOML parser raised that is not a TOML syntax error (a number too
    long to convert, for instance), located at the longest run of digits when there is one."""
    longest = max(_LONG_NUMBER.finditer(source), key=lambda m: m.end() - m.start(), default=None)
    if longest is not None and isinstance(exc, ValueError):
        line = source.count("\n", 0, longest.start()) + 1
        return Problem(shown, line, too_long_number(len(longest.group().replace("_", ""))))
    detail = terminal_text(str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__, one_line=True)
    return Problem(shown, 0, f"the file cannot be read as TOML: {detail}")


__all__ = ["MAX_NUMBER", "PROSE_FIELDS", "check_numbers", "check_strings", "is_prose", "parser_fault", "too_long_number"]
