"""How the loader keeps one mistake to one clear message: what to do about the TOML parser's
common errors, the scene ids of a file that did not parse (so that a goto to one is not also
"unknown"), and a scene checked in full although one of its fields is misspelt."""

from __future__ import annotations

import copy
import re
from typing import Any

from pydantic import BaseModel, ValidationError

#: `id = "..."` lines: the ids a file that does not parse would have defined
_IDS = re.compile(r"""^\s*id\s*=\s*["']([^"'\n]+)["']""", re.MULTILINE)


def ids_in_text(text: str) -> set[str]:
    """The ids a file that does not parse would have defined (its `id = "..."` lines)."""
    return set(_IDS.findall(text))


def syntax_hint(message: str) -> str:
    """The TOML parser's message, with what a writer should do about the common ones."""
    if message.startswith("Illegal character '\\n'"):
        return ("a quoted text is not closed on this line: add the closing \" (or write text over several "
                "lines between \"\"\" and \"\"\")")
    if message.startswith("Expected newline or end of document after a statement"):
        return ("something unexpected follows the value on this line: put text in quotes, write dates as "
                "real days (1953-03-05), and give each key = value its own line")
    if message.startswith("Invalid value"):
        return ("the value is not one TOML can read: put text in quotes; write true, false, numbers and dates "
                "(1953-03-05) without quotes")
    return message


def salvage(model: type[BaseModel], raw: Any) -> Any:
    """`raw` without its unknown fields, when that alone makes it valid (else None).

    A misspelt field (`lockd`) is reported as such; the rest of the scene is then checked as usual,
    so that one pass still lists every problem in it."""
    if not isinstance(raw, dict):
        return None
    try:
        model.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors()
    else:
        return None
    if any(err["type"] != "extra_forbidden" for err in errors):
        return None
    clean = copy.deepcopy(raw)
    for err in errors:
        *parent, key = err["loc"]
        node: Any = clean
        for part in parent:
            node = node[part]
        node.pop(key, None)
    try:
        return model.model_validate(clean)
    except (ValidationError, RecursionError):
        return None
