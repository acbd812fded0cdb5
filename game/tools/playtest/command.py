"""`thaw playtest` on the command line: random runs, the exhaustive walk, or --prove."""

from __future__ import annotations

import sys

from game.text import terminal_text
from game.tools.playtest.exhaustive import DEFAULT_MAX_STATES, exhaustive_playtest
from game.tools.playtest.progress import Progress
from game.tools.playtest.random_runs import DEFAULT_RUNS, random_playtest


def main(folder: str | None, *, runs: int = DEFAULT_RUNS, seed: int = 0, exhaustive: bool = False,
         max_states: int = DEFAULT_MAX_STATES, fmt: str = "text", prove: bool = False, chapter: str | None = None,
         witness: str | None = None, budget: int | None = None, hits: bool = False) -> int:
    from game.session import open_story

    story = open_story(folder)
    if story is None:
        return 1
    if prove or witness is not None:
        return _prove(story, chapter=chapter, witness=witness, fmt=fmt, budget=budget)
    if exhaustive:
        bar = Progress(max_states, "states")
        report = exhaustive_playtest(story, max_states, progress=bar)
    else:
        bar = Progress(runs, "runs")
        report = random_playtest(story, runs, seed, progress=bar)
    bar.close()
    print(report.json() if fmt == "json" else terminal_text(report.text(hits)))
    return 1 if report.failed else 0


def _prove(story, *, chapter: str | None, witness: str | None, fmt: str, budget: int | None) -> int:  # type: ignore[no-untyped-def]
    import difflib

    from game.tools.playtest.prove import SEARCH_BUDGET, prove
    from game.tools.playtest.prove_text import report_json, report_text

    if chapter is not None and chapter not in story.chapters:
        close = difflib.get_close_matches(chapter, list(story.chapters), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        print(f"thaw playtest: --chapter {chapter}: there is no such chapter in this story{hint}", file=sys.stderr)
        return 2
    report = prove(story, chapter, budget=budget or SEARCH_BUDGET)
    if witness is not None:
        return _witness(story, report, witness)
    print(report_json(report, story) if fmt == "json" else terminal_text(report_text(report, story)))
    return 1 if report.failed else 0


def _witness(story, report, target: str) -> int:  # type: ignore[no-untyped-def]
    """Print the recording of TARGET's witness (a scene, choice, branch outcome, passage, or dead:SCENE)."""
    from game.tools.playtest.witness import recording

    path = None
    if target.startswith("dead:"):
        found = next((d for d in report.dead_ends if d.scene == target[5:] and d.status == "found"), None)
        path = found.path if found else None
    else:
        verdict = next((v for v in report.verdicts if v.id == target), None)
        if verdict is None:
            print(terminal_text(f"thaw playtest: --witness {target}: no such scene, choice (scene.choice), branch "
                                "outcome (scene.choice/branchN or /goto) or passage (scene#N) in the proof"), file=sys.stderr)
            return 2
        if verdict.status != "reached":
            print(terminal_text(f"thaw playtest: --witness {target}: it is {verdict.status}: {verdict.why}"), file=sys.stderr)
            return 1
        path = verdict.path
    if path is None:
        print(terminal_text(f"thaw playtest: --witness {target}: no dead end was found there"), file=sys.stderr)
        return 1
    sys.stdout.write(recording(story, tuple(path)).to_json())
    return 0
