"""Problems found in a story folder, each located by file and line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from game.text import terminal_text

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One problem: ``path:LINE: scene 'x', choice 'y': message``."""

    path: str
    line: int
    message: str
    scene: str | None = None
    choice: str | None = None
    severity: Severity = "error"

    @property
    def where(self) -> str:
        parts = []
        if self.scene:
            parts.append(f"scene '{self.scene}'")
        if self.choice:
            parts.append(f"choice '{self.choice}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        head = f"{self.path}:{self.line}" if self.line else self.path
        label = "warning: " if self.severity == "warning" else ""
        where = f"{self.where}: " if self.where else ""
        # file names and quoted names come from the story folder: never raw to a terminal
        return terminal_text(f"{head}: {label}{where}{self.message}", one_line=True)

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity,
            "scene": self.scene,
            "choice": self.choice,
            "message": self.message,
        }


class StoryError(Exception):
    """A story folder that cannot be played; `problems` lists every error found in one pass."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=_sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))

    def report(self) -> str:
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        return f"The story cannot be loaded ({count} {noun}):\n" + "\n".join(f"  {p}" for p in self.problems)


def _sort_key(problem: Problem) -> tuple[str, int, str]:
    return (problem.path, problem.line, problem.message)
