"""What the game remembers across playthroughs: endings found, codex entries seen, the theme.

A small JSON file, ``profile.json``, in the save folder. It is written atomically (temporary file
in the same folder, fsync, os.replace). A missing, damaged or read-only file never stops the game:
the profile is then simply not remembered.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROFILE_NAME = "profile.json"
PROFILE_VERSION = 1
MAX_PROFILE_BYTES = 1024 * 1024


@dataclass
class Profile:
    """Endings and codex entries found, per story id, and the chosen theme."""

    path: Path | None = None
    endings: dict[str, list[str]] = field(default_factory=dict)
    codex: dict[str, list[str]] = field(default_factory=dict)
    theme: str = ""
    #: why the file could not be read or written, for a quiet notice; "" when all is well
    problem: str = ""

    # ---- reading -------------------------------------------------------------------------------

    @classmethod
    def load(cls, folder: str | Path | None) -> Profile:
        """The profile in `folder` (a save folder); an empty one when it is missing or damaged."""
        if folder is None:
            return cls()
        path = Path(folder) / PROFILE_NAME
        profile = cls(path=path)
        try:
            if not path.is_file():
                return profile
            if path.stat().st_size > MAX_PROFILE_BYTES:
                profile.problem = f"{path} is too large; it was ignored"
                return profile
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            profile.problem = f"{path} could not be read ({exc.__class__.__name__}); it was ignored"
            return profile
        if not isinstance(data, dict):
            profile.problem = f"{path} is damaged; it was ignored"
            return profile
        profile.endings = _id_lists(data.get("endings"))
        profile.codex = _id_lists(data.get("codex"))
        theme = data.get("theme")
        profile.theme = theme if isinstance(theme, str) else ""
        return profile

    def endings_found(self, story_id: str, known: set[str] | dict[str, Any] | None = None) -> list[str]:
        """Endings of `story_id` found so far (only those still in the story when `known` is given)."""
        found = self.endings.get(story_id, [])
        return [e for e in found if known is None or e in known]

    def codex_seen(self, story_id: str) -> set[str]:
        return set(self.codex.get(story_id, []))

    # ---- changing ------------------------------------------------------------------------------

    def add_ending(self, story_id: str, ending_id: str) -> bool:
        """Remember an ending; True when it is new (and the file was written)."""
        found = self.endings.setdefault(story_id, [])
        if ending_id in found:
            return False
        found.append(ending_id)
        self.save()
        return True

    def add_codex(self, story_id: str, entry_ids: set[str] | list[str]) -> bool:
        seen = self.codex.setdefault(story_id, [])
        new = [e for e in sorted(entry_ids) if e not in seen]
        if not new:
            return False
        seen.extend(new)
        self.save()
        return True

    def set_theme(self, theme: str) -> None:
        if theme != self.theme:
            self.theme = theme
            self.save()

    def to_json(self) -> dict[str, Any]:
        return {"version": PROFILE_VERSION, "theme": self.theme, "endings": self.endings, "codex": self.codex}

    def save(self) -> bool:
        """Write the file atomically; False (and `problem` set) when the folder is not writable."""
        if self.path is None:
            return False
        try:
            write_atomic(self.path, json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n")
        except OSError as exc:
            self.problem = f"{self.path} could not be written ({exc.strerror or exc.__class__.__name__})"
            return False
        self.problem = ""
        return True


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` so that a reader sees the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _id_lists(value: Any) -> dict[str, list[str]]:
    """{story id: [ids]} from untrusted JSON, dropping anything of the wrong shape."""
    if not isinstance(value, dict):
        return {}
    out: dict[str, list[str]] = {}
    for key, items in value.items():
        if isinstance(key, str) and isinstance(items, list):
            ids = [i for i in items if isinstance(i, str)]
            out[key] = list(dict.fromkeys(ids))
    return out
