"""Text from story files and saves is data: which characters it may hold, and how it reaches a terminal.

One rule for the whole game (docs/format.md, "Allowed characters"; docs/security.md):

* refused everywhere: C0 control characters (U+0000-U+001F) other than line feed and tab, DEL
  (U+007F), C1 control characters (U+0080-U+009F), the bidirectional embeddings, overrides and
  isolates (U+202A-U+202E, U+2066-U+2069) and lone surrogates (U+D800-U+DFFF);
* line feed and tab are allowed only where a text may run over several lines (prose).

The loader refuses a story that breaks the rule, the save store refuses such a save; and
:func:`terminal_text` makes any text safe to write to a terminal anyway (the last line of defence,
for player input, file names and error messages). Nothing here imports Textual.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

_UNSAFE_CLASS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
#: a character refused in every text (line feed and tab are not in it)
UNSAFE = re.compile(f"[{_UNSAFE_CLASS}]")
#: a character refused in a one-line text: the above, line feed and tab
UNSAFE_ONE_LINE = re.compile(f"[{_UNSAFE_CLASS}\t\n]")

_NAMES = {
    0x00: "NULL", 0x07: "BELL", 0x08: "BACKSPACE", 0x09: "TAB", 0x0A: "LINE FEED", 0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN", 0x1B: "ESCAPE", 0x7F: "DELETE", 0x9B: "CONTROL SEQUENCE INTRODUCER",
    0x9D: "OPERATING SYSTEM COMMAND",
}


def is_safe(text: str, *, one_line: bool = False) -> bool:
    """Whether `text` holds only allowed characters (no line feed or tab when `one_line`)."""
    return (UNSAFE_ONE_LINE if one_line else UNSAFE).search(text) is None


def unsafe_chars(text: str, *, one_line: bool = False) -> list[tuple[int, str]]:
    """(index, character) of every refused character of `text`, in order."""
    pattern = UNSAFE_ONE_LINE if one_line else UNSAFE
    return [(m.start(), m.group()) for m in pattern.finditer(text)]


def char_name(ch: str) -> str:
    """'U+001B (ESCAPE)', 'U+202E (RIGHT-TO-LEFT OVERRIDE)', or 'U+0085' when it has no short name."""
    code = ord(ch)
    name = _NAMES.get(code) or ("" if code < 0xA0 or 0xD800 <= code <= 0xDFFF else unicodedata.name(ch, ""))
    return f"U+{code:04X} ({name})" if name else f"U+{code:04X}"


def kind_of(ch: str) -> str:
    """A short plain description: 'a control character', 'a direction override', 'a line break'."""
    code = ord(ch)
    if ch == "\n":
        return "a line break"
    if ch == "\t":
        return "a tab"
    if 0xD800 <= code <= 0xDFFF:
        return "a lone surrogate"
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        return "a bidirectional override"
    return "a control character"


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def terminal_text(text: str, *, one_line: bool = False) -> str:
    """`text` safe to write to a terminal: every refused character shown as an escape such as
    ``\\x1b`` or ``\\u202e`` (line feeds and tabs kept unless `one_line`). Markup-like brackets
    are ordinary characters to a terminal and are kept."""
    pattern = UNSAFE_ONE_LINE if one_line else UNSAFE
    if pattern.search(text) is None:
        return text
    return pattern.sub(_visible, text)


def iter_strings(data: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str, bool]]:
    """Every string of parsed TOML or JSON data, keys included, in document order:
    (path, text, is_key). A key's path is the path of its table plus the key itself."""
    stack: list[tuple[tuple[str | int, ...], Any, bool]] = [(path, data, False)]
    while stack:  # a loop, not recursion: parsed data may nest deeply
        where, value, is_key = stack.pop()
        if is_key:
            yield where, value, True
        elif isinstance(value, str):
            yield where, value, False
        elif isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                stack.append(((*where, key), item, False))
                if isinstance(key, str):
                    stack.append(((*where, key), key, True))
        elif isinstance(value, (list, tuple)):
            for index in range(len(value) - 1, -1, -1):
                stack.append(((*where, index), value[index], False))


def first_unsafe(data: Any) -> tuple[tuple[str | int, ...], str] | None:
    """(path, character) of the first refused character in any string (or key) of `data`; None
    when there is none. Line feeds and tabs are allowed in values, never in keys."""
    for where, text, is_key in iter_strings(data):
        found = (UNSAFE_ONE_LINE if is_key else UNSAFE).search(text)
        if found is not None:
            return where, found.group()
    return None


__all__ = [
    "UNSAFE",
    "UNSAFE_ONE_LINE",
    "char_name",
    "first_unsafe",
    "is_safe",
    "iter_strings",
    "kind_of",
    "terminal_text",
    "unsafe_chars",
]
