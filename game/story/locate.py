"""Find the line of a table or key in a TOML file's text.

The TOML parser returns plain dictionaries without positions, so semantic errors are located by
finding the table header (``[[scene]]`` number k, then ``[[scene.choice]]`` number j inside it)
and then the key's line inside that table. When a writer uses inline tables instead, the search
falls back to the nearest enclosing table it can find.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]#]+?)\s*\]\]?\s*(#.*)?$")


def _normalise(name: str) -> str:
    return ".".join(part.strip().strip('"').strip("'") for part in name.split("."))


class Locator:
    """Line numbers (1-based) of tables and keys in one file's text."""

    def __init__(self, text: str) -> None:
        # Lines end at "\n" only, as the TOML parser counts them: str.splitlines() would also break
        # at U+0085, U+2028 and other characters a string may hold, and shift every later line.
        self.lines = text.split("\n")
        self.headers: list[tuple[int, str]] = []
        in_multiline = False
        for number, line in enumerate(self.lines, start=1):
            # Skip the insides of multi-line strings, where '[' may start a line of prose.
            if line.count('"""') % 2 == 1 or line.count("'''") % 2 == 1:
                in_multiline = not in_multiline
                continue
            if in_multiline:
                continue
            match = _HEADER.match(line)
            if match:
                self.headers.append((number, _normalise(match.group(2))))

    def line_of(self, path: Sequence[str | int]) -> int:
        """The line of `path`, e.g. ``("scene", 3, "choice", 1, "goto")``; 1 when nothing fits."""
        start, end = 1, len(self.lines) + 1
        table = ""
        best = 1
        i = 0
        while i < len(path):
            part = path[i]
            if isinstance(part, int):
                i += 1
                continue
            name = f"{table}.{part}" if table else str(part)
            index = path[i + 1] if i + 1 < len(path) and isinstance(path[i + 1], int) else None
            found = self._find_header(name, index, start, end)
            if found is not None:
                start, end = found, self._table_end(name, found, end)
                table = name
                best = found
                i += 2 if index is not None else 1
                continue
            nxt = path[i + 1] if i + 1 < len(path) else None
            if isinstance(nxt, str):
                dotted = self._find_header(f"{name}.{nxt}", None, start, end)
                if dotted is not None:
                    table = f"{name}.{nxt}"
                    start, end = dotted, self._table_end(table, dotted, end)
                    best = dotted
                    i += 2
                    continue
            line = self._find_key(str(part), start, end)
            if line is not None:
                best = line
                if index is None:
                    # A dotted table such as [stats] with key `standing` keeps the search inside.
                    table = name
                    start = line
            return best
        return best

    def _find_header(self, name: str, index: int | None, start: int, end: int) -> int | None:
        seen = 0
        for number, header in self.headers:
            if number < start or number >= end or header != name:
                continue
            if index is None or seen == index:
                return number
            seen += 1
        return None

    def _table_end(self, name: str, line: int, end: int) -> int:
        for number, header in self.headers:
            if number <= line or number >= end:
                continue
            if header == name or not header.startswith(name + "."):
                return number
        return end

    def _find_key(self, key: str, start: int, end: int) -> int | None:
        pattern = re.compile(rf"^\s*(\"{re.escape(key)}\"|'{re.escape(key)}'|{re.escape(key)})\s*(=|\.)")
        stop = end
        for number, _header in self.headers:
            if start < number < end:
                stop = number
                break
        for number in range(start, min(stop, len(self.lines) + 1)):
            if pattern.match(self.lines[number - 1]):
                return number
        return None
