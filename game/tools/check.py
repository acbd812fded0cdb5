"""`thaw check`: the loader's errors plus a lint of the story graph.

Errors stop a story from loading; warnings are things a writer almost certainly wants to fix
(unreachable scenes, choices that can never be taken, stats nobody reads). `--strict` makes
warnings fail the check too, which is how CI runs it on the shipped story.
"""

from __future__ import annotations

import ast
import itertools
import json
from collections import defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from game.story.conditions import Condition
from game.story.loader import load_story
from game.story.problems import Problem, StoryError
from game.story.story import Story
from game.tools.playtest.scene_order import leading_to, leads_to

MAX_ASSIGNMENTS = 200_000


@dataclass(frozen=True)
class Summary:
    scenes: int = 0
    choices: int = 0
    endings: int = 0
    words: int = 0


@dataclass(frozen=True)
class Report:
    problems: list[Problem]
    summary: Summary | None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def failed(self, strict: bool) -> bool:
        return bool(self.errors or (strict and self.warnings))

    def summary_line(self) -> str:
        head = f"{_count(len(self.errors), 'error')}, {_count(len(self.warnings), 'warning')}"
        if self.summary is None:
            return f"{head}: the story could not be loaded"
        s = self.summary
        return (
            f"{head}: {_count(s.scenes, 'scene')}, {_count(s.choices, 'choice')}, "
            f"{_count(s.endings, 'ending')}, {_count(s.words, 'word')}"
        )

    def text(self) -> str:
        lines: list[str] = []
        by_file: dict[str, list[Problem]] = defaultdict(list)
        for problem in self.problems:
            by_file[problem.path].append(problem)
        for path in sorted(by_file):
            lines.extend(str(p) for p in sorted(by_file[path], key=lambda p: (p.line, p.message)))
        lines.append(self.summary_line())
        return "\n".join(lines)

    def json(self) -> str:
        return json.dumps(
            {
                "problems": [p.to_dict() for p in sorted(self.problems)],
                "errors": len(self.errors),
                "warnings": len(self.warnings),
                "summary": None if self.summary is None else self.summary.__dict__,
            },
            indent=2,
        )


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def check_folder(folder: str | Path) -> Report:
    try:
        story = load_story(folder)
    except StoryError as exc:
        return Report(exc.problems, None)
    return Report(lint(story), summarise(story))


def summarise(story: Story) -> Summary:
    return Summary(
        scenes=len(story.scenes),
        choices=sum(len(s.choice) for s in story.scenes.values()),
        endings=len(story.endings),
        words=story.word_count(),
    )


def lint(story: Story) -> list[Problem]:
    """Every warning about a story that loads."""
    return sorted(
        itertools.chain(
            _unreachable(story),
            _no_way_out(story),
            _impossible_choices(story),
            _unused_names(story),
            _dates_backwards(story),
            _unsourced(story),
            _forbidden(story),
        )
    )


def _warn(story: Story, kind: str, key: tuple[str, ...], message: str, scene: str | None = None,
          choice: str | None = None) -> Problem:
    loc = story.where(kind, *key)
    return Problem(loc.path, loc.line, message, scene, choice, "warning")


def _unreachable(story: Story) -> Iterator[Problem]:
    seen = {story.info.start}
    queue = deque(seen)
    while queue:
        for nxt in leads_to(story, queue.popleft()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    for sid in story.scenes:
        if sid not in seen:
            yield _warn(story, "scene", (sid,), "no path from the start scene reaches this scene", sid)


def scenes_that_can_end(story: Story) -> set[str]:
    """The scenes from which some path of choices (ignoring conditions) reaches an ending."""
    return leading_to(story, story.endings)


def _no_way_out(story: Story) -> Iterator[Problem]:
    good = scenes_that_can_end(story)
    for sid in story.scenes:
        if sid not in good:
            yield _warn(story, "scene", (sid,), "no ending can be reached from this scene", sid)


def _impossible_choices(story: Story) -> Iterator[Problem]:
    for key, condition in story.conditions.items():
        if condition.uses_chance or satisfiable(story, condition) is not False:
            continue
        kind, sid, *rest = key
        if kind == "choice":
            yield _warn(story, "choice", (sid, rest[0], "if"), f"the condition '{condition.source}' can never hold "
                        "within the declared ranges", sid, rest[0])
        elif kind == "passage":
            yield _warn(story, "passage", (sid, str(rest[0])), f"the passage condition '{condition.source}' can "
                        "never hold within the declared ranges", sid)
        else:
            yield _warn(story, "branch", (sid, rest[0], str(rest[1]), "if"), f"the branch condition "
                        f"'{condition.source}' can never hold within the declared ranges", sid, rest[0])


class _Assignment:
    """A condition context that reads from one candidate assignment."""

    def __init__(self, values: dict[str, int | bool]) -> None:
        self.values = values

    def value(self, name: str) -> int | bool:
        return self.values[name]

    def visits(self, scene_id: str) -> int:
        return int(self.values.get("visits:" + scene_id, 0))

    def chose(self, key: str) -> bool:
        return bool(self.values.get("chose:" + key, False))

    def chance(self, percent: int) -> bool:
        return True


def satisfiable(story: Story, condition: Condition) -> bool | None:
    """True/False when decided by trying every boundary value; None when too many to try.

    Conditions compare names with constants, so the truth of each comparison only changes at a
    constant, one step either side of it, and the ends of the declared range: trying those points
    for every name decides satisfiability exactly.
    """
    points: dict[str, set[int]] = defaultdict(set)
    for node in ast.walk(condition.tree):
        if not isinstance(node, ast.Compare):
            continue
        operands = [node.left, *node.comparators]
        names = [_operand_key(o) for o in operands]
        consts = [_operand_const(o) for o in operands]
        for name in names:
            if name is None:
                continue
            for const in consts:
                if const is not None:
                    points[name].update((const - 1, const, const + 1))
    domains: dict[str, list[int | bool]] = {}
    for name in condition.names:
        if name in story.flags:
            domains[name] = [False, True]
        else:
            stat = story.stats[name]
            values = {stat.min, stat.max} | {v for v in points.get(name, ()) if stat.min <= v <= stat.max}
            domains[name] = sorted(values)
    for scene in condition.scenes:
        key = "visits:" + scene
        domains[key] = sorted({0, 1, 2} | {v for v in points.get(key, ()) if v >= 0})
    for choice in condition.choices:
        domains["chose:" + choice] = [False, True]
    total = 1
    for values in domains.values():
        total *= len(values)
        if total > MAX_ASSIGNMENTS:
            return None
    names = list(domains)
    for combo in itertools.product(*(domains[n] for n in names)):
        if condition(_Assignment(dict(zip(names, combo)))):
            return True
    return False


def _operand_key(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "visits" and node.args:
        arg = node.args[0]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            return "visits:" + arg.value
    return None


def _operand_const(node: ast.expr) -> int | None:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _operand_const(node.operand)
        return -inner if inner is not None else None
    return None


def _unused_names(story: Story) -> Iterator[Problem]:
    read: set[str] = set()
    for condition in story.conditions.values():
        read |= condition.names
    written: set[str] = set()
    for scene in story.scenes.values():
        for choice in scene.choice:
            written |= choice.set_.keys() | choice.add.keys()
    for name in list(story.stats) + list(story.flags):
        kind = "stat" if name in story.stats else "flag"
        loc_key = ("stats", name) if kind == "stat" else ("flags", name)
        if name not in read:
            yield _warn_decl(story, loc_key, f"{kind} '{name}' is never read by any condition")
        if name not in written:
            yield _warn_decl(story, loc_key, f"{kind} '{name}' is never changed by any choice")


def _warn_decl(story: Story, key: tuple[str, str], message: str) -> Problem:
    loc = story.where(*key)
    return Problem(loc.path, loc.line, message, severity="warning")


def _dates_backwards(story: Story) -> Iterator[Problem]:
    for scene in story.scenes.values():
        for choice in scene.choice:
            for target in {choice.goto, *(b.goto for b in choice.branch)}:
                nxt = story.scenes.get(target)
                if nxt and nxt.date < scene.date:
                    yield _warn(story, "choice", (scene.id, choice.id, "goto"),
                                f"time runs backwards: this scene is dated {scene.date}, '{target}' {nxt.date}",
                                scene.id, choice.id)


def _forbidden(story: Story) -> Iterator[Problem]:
    if not story.style.forbid:
        return
    from game.tools.style.forbid import forbidden_uses

    for use in forbidden_uses(story):
        yield Problem(use.where.path, use.where.line, f"the phrase '{use.phrase}' is forbidden by [style] forbid",
                      use.scene, None, "warning")


def _unsourced(story: Story) -> Iterator[Problem]:
    for event in story.events.values():
        if not event.sources:
            yield _warn(story, "event", (event.id,), f"event '{event.id}' cites no sources")
    for scene in story.scenes.values():
        if scene.event is None and not scene.sources:
            yield _warn(story, "scene", (scene.id,), "the scene names neither an event nor sources", scene.id)


def main(folder: str, strict: bool = False, fmt: str = "text") -> int:
    report = check_folder(folder)
    from game.text import terminal_text

    print(report.json() if fmt == "json" else terminal_text(report.text()))
    return 1 if report.failed(strict) else 0


__all__ = ["Report", "check_folder", "lint", "main", "satisfiable", "scenes_that_can_end"]
