"""What the game remembers across playthroughs: endings found, codex entries seen, the choices
taken and scenes read (for the marks and the skip of a replay), and the settings.

A small JSON file, ``profile.json``, in the save folder. It is written atomically (temporary file
in the same folder, fsync, os.replace). A missing, damaged or read-only file never stops the game:
the profile is then simply not remembered.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROFILE_NAME = "profile.json"
PROFILE_VERSION = 1
MAX_PROFILE_BYTES = 1024 * 1024
#: the on/off settings the profile keeps (Settings screen; `notices` and `skip` in plain mode)
SETTINGS = ("notices", "skip_read")


@dataclass
class Profile:
    """Endings, codex entries, choices ('scene.choice') and scenes found, per story id; settings."""

    path: Path | None = None
    endings: dict[str, list[str]] = field(default_factory=dict)
    codex: dict[str, list[str]] = field(default_factory=dict)
    choices: dict[str, list[str]] = field(default_factory=dict)
    scenes: dict[str, list[str]] = field(default_factory=dict)
    theme: str = ""
    #: show a line in the story's voice when a choice moves a stat
    notices: bool = True
    #: open a scene read in an earlier playthrough at its choices, the prose folded away
    skip_read: bool = False
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
        profile.choices = _id_lists(data.get("choices"))
        profile.scenes = _id_lists(data.get("scenes"))
        theme = data.get("theme")
        profile.theme = theme if isinstance(theme, str) else ""
        settings = data.get("settings")
        if isinstance(settings, dict):
            for name in SETTINGS:
                if isinstance(settings.get(name), bool):
                    setattr(profile, name, settings[name])
        return profile

    def endings_found(self, story_id: str, known: set[str] | dict[str, Any] | None = None) -> list[str]:
        """Endings of `story_id` found so far (only those still in the story when `known` is given)."""
        found = self.endings.get(story_id, [])
        return [e for e in found if known is None or e in known]

    def codex_seen(self, story_id: str) -> set[str]:
        return set(self.codex.get(story_id, []))

    def choices_taken(self, story_id: str) -> frozenset[str]:
        """'scene.choice' keys taken in the playthroughs remembered so far."""
        return frozenset(self.choices.get(story_id, []))

    def scenes_read(self, story_id: str) -> frozenset[str]:
        return frozenset(self.scenes.get(story_id, []))

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
        return self.add_found(story_id, codex=entry_ids)

    def add_found(self, story_id: str, *, codex: Iterable[str] = (), choices: Iterable[str] = (),
                  scenes: Iterable[str] = ()) -> bool:
        """Remember codex entries, choices and scenes of a game in one write; True when any was new."""
        new = False
        for table, ids in ((self.codex, codex), (self.choices, choices), (self.scenes, scenes)):
            known = table.setdefault(story_id, [])
            seen = set(known)
            fresh = [i for i in sorted(set(ids)) if i not in seen]
            known.extend(fresh)
            new = new or bool(fresh)
        if new:
            self.save()
        return new

    def set_setting(self, name: str, value: bool) -> None:
        """Change a setting (one of SETTINGS) and write the file."""
        if name not in SETTINGS:
            raise KeyError(name)
        if getattr(self, name) != value:
            setattr(self, name, value)
            self.save()

    def set_theme(self, theme: str) -> None:
        if theme != self.theme:
            self.theme = theme
            self.save()

    def to_json(self) -> dict[str, Any]:
        return {
            "version": PROFILE_VERSION,
            "theme": self.theme,
            "settings": {name: getattr(self, name) for name in SETTINGS},
            "endings": self.endings,
            "codex": self.codex,
            "choices": self.choices,
            "scenes": self.scenes,
        }

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
