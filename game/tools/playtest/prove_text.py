"""The report of `thaw playtest --prove`: as text for the terminal and as JSON."""

from __future__ import annotations

import json
from typing import Any

from game.story.story import Story
from game.tools.playtest.prove import DeadEnd, ProveReport, Verdict
from game.tools.playtest.report import format_path

_LABELS = {"scene": "scene", "ending": "ending", "choice": "choice", "branch": "branch outcome", "passage": "passage"}
_PLURALS = {"scene": "scenes", "ending": "endings", "choice": "choices", "branch": "branch outcomes", "passage": "passages"}


def where(story: Story, verdict: Verdict | DeadEnd) -> str:
    """FILE:LINE of a target, for messages."""
    if isinstance(verdict, DeadEnd):
        return str(story.where("scene", verdict.scene)) if verdict.scene else ""
    sid = verdict.scene
    if verdict.kind == "passage":
        return str(story.where("passage", sid, str(int(verdict.id.rpartition("#")[2]) - 1)))
    if verdict.kind == "choice":
        return str(story.where("choice", sid, verdict.id.split(".", 1)[1], "if"))
    if verdict.kind == "branch":
        choice, _, which = verdict.id.split(".", 1)[1].partition("/")
        if which.startswith("branch"):
            return str(story.where("branch", sid, choice, str(int(which[6:]) - 1), "if"))
        return str(story.where("choice", sid, choice, "goto"))
    return str(story.where("scene", sid))


def _count(n: int, kind: str) -> str:
    return f"{n:,} {_LABELS[kind] if n == 1 else _PLURALS[kind]}"


def _values(values: dict[str, int | bool]) -> str:
    return ", ".join(f"{k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in values.items())


def report_text(report: ProveReport, story: Story) -> str:
    scope = f", chapter {report.chapter}" if report.chapter else ""
    lines = [f"Proof of '{report.story_id}' ({report.title} {report.version}){scope}: {report.seconds:.2f} s, "
             f"{report.abstract_states:,} abstract states, {report.moves:,} moves played, "
             f"{report.searched:,} states searched"]
    for status in ("reached", "unreachable", "unknown"):
        found = report.of(status)
        counts = [_count(sum(v.kind == k for v in found), k) for k in _LABELS if any(v.kind == k for v in found)]
        head = f"{status.capitalize()}: " + (", ".join(counts) if counts else "nothing")
        if status == "reached" and found:
            head += " (each with a witness: --witness ID writes one for thaw replay)"
        lines.append(head)
        if status != "reached":
            for v in found:
                lines.append(f"  {_LABELS[v.kind]} {v.id} ({where(story, v)}): {v.why}")
    dead = [d for d in report.dead_ends if d.status != "none"]
    if not dead:
        lines.append(f"Dead ends: none (proven for every one of the {len(report.dead_ends):,} scenes with choices)")
    else:
        lines.append("Dead ends:")
        for d in dead:
            if d.status == "found":
                lines.append(f"  {d.scene} ({where(story, d)}): every choice is closed after {format_path(d.path or ())}")
                if d.values:
                    lines.append(f"    with {_values(d.values)}")
            else:
                lines.append(f"  {d.scene} ({where(story, d)}): unknown: {d.why}")
    trap = report.traps
    if trap.status == "none":
        lines.append(f"Traps: none: {trap.why}")
    elif trap.status == "found":
        lines.append(f"Traps: {trap.scene} ({where(story, trap)}): {trap.why}; reached by {format_path(trap.path or ())}")
    else:
        lines.append(f"Traps: unknown: {trap.why}")
    if report.failed:
        problems = []
        for status in ("unreachable", "unknown"):
            if report.of(status):
                problems.append(f"{len(report.of(status))} {status}")
        if dead:
            problems.append(f"{len(dead)} dead end{'s' if len(dead) != 1 else ''}")
        if trap.status != "none":
            problems.append("a trap" if trap.status == "found" else "traps unknown")
        lines.append("FAILED: " + ", ".join(problems))
    else:
        lines.append("OK: every scene, choice, branch outcome and passage is reached, with no dead end and no trap")
    return "\n".join(lines)


def _path(path: Any) -> list[dict[str, Any]] | None:
    return None if path is None else [s.to_dict() for s in path]


def report_dict(report: ProveReport, story: Story) -> dict[str, Any]:
    return {
        "mode": "prove",
        "story": {"id": report.story_id, "title": report.title, "version": report.version},
        "chapter": report.chapter,
        "ok": not report.failed,
        "seconds": round(report.seconds, 3),
        "abstract_states": report.abstract_states,
        "moves": report.moves,
        "searched": report.searched,
        "counts": {status: len(report.of(status)) for status in ("reached", "unreachable", "unknown")},
        "verdicts": [
            {"kind": v.kind, "id": v.id, "status": v.status, "where": where(story, v), "path": _path(v.path),
             "why": v.why}
            for v in report.verdicts
        ],
        "dead_ends": [
            {"scene": d.scene, "status": d.status, "path": _path(d.path), "values": d.values, "why": d.why}
            for d in report.dead_ends
        ],
        "traps": {"status": report.traps.status, "scene": report.traps.scene or None,
                  "path": _path(report.traps.path), "why": report.traps.why},
    }


def report_json(report: ProveReport, story: Story) -> str:
    return json.dumps(report_dict(report, story), indent=2, ensure_ascii=False)
