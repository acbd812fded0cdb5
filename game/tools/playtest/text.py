"""The terminal text of a playtest report."""

from __future__ import annotations

from game.tools.playtest.report import PlaytestReport, Stuck, _count, _pct, format_path


def report_text(report: PlaytestReport, hits: bool = False) -> str:
    """The report as a writer reads it in the terminal; `hits` adds every hit count (random mode)."""
    lines: list[str] = []
    head = f"Playtest of '{report.story_id}' ({report.title} {report.version}): "
    if report.mode == "random":
        head += f"{_count(report.runs, 'random run')}, seed {report.seed}"
    else:
        head += f"exhaustive, {_count(report.states, 'distinct state')}, {_count(report.transitions, 'move')}"
    lines.append(f"{head}, {report.seconds:.2f} s")
    if report.truncated:
        lines.append(
            f"  The walk stopped at --max-states {report.max_states:,}: the results below are partial "
            "(raise --max-states to see everything)."
        )
    cov = report.coverage()
    labels = {"branches": "branch outcomes"}
    lines.append(
        "Coverage: "
        + ", ".join(
            f"{labels.get(name, name)} {c['reached']}/{c['total']} ({c['percent']:g}%)"
            for name, c in cov.items()
            if name != "branches" or c["total"]
        )
    )

    lines.append("Endings:")
    total = report.runs if report.mode == "random" else report.finished_games
    unit = "run" if report.mode == "random" else "state"
    width = max((len(e) for e in report.endings), default=0)
    for ending in report.endings.values():
        if ending.count and report.mode == "random":
            how = f"{_count(ending.count, unit)} ({_pct(ending.count, total):g}%)"
            way = f"; shortest: {format_path(ending.shortest or ())}"
        elif ending.count:
            parts = []
            if ending.playthroughs is not None:
                parts.append(f"{ending.playthroughs:,} of {report.playthroughs:,} playthroughs")
            if ending.probability is not None:
                parts.append(f"{100 * ending.probability:.1f}% of random play")
            how = ", ".join(parts) or _count(ending.count, "distinct end state")
            way = f"; shortest: {format_path(ending.shortest or ())}"
        else:
            how, way = "never reached", ""
        lines.append(f"  {ending.id:<{width}}  \"{ending.title}\": {how}{way}")
    if not report.endings:
        lines.append("  (the story has no endings)")

    if report.shortest is not None:
        lines.append(f"Shortest playthrough: {_count(report.shortest.turns, 'turn')} to {report.shortest.ending}: "
                     f"{format_path(report.shortest.path)}")
    if report.unbounded_loop:
        lines.append("Longest playthrough: unbounded: a player can go round "
                     + " > ".join(report.unbounded_loop) + " for ever (and still reach an ending)")
    elif report.longest is not None:
        lines.append(f"Longest playthrough: {_count(report.longest.turns, 'turn')} to {report.longest.ending}: "
                     f"{format_path(report.longest.path)}")
    elif report.mode == "exhaustive" and report.truncated:
        lines.append("Longest playthrough: unknown (the walk stopped early)")
    if report.mode == "random" and report.unfinished:
        lines.append(f"Unfinished: {_count(report.unfinished, 'run')} reached no ending within {report.max_turns} turns "
                     "(a loop? try --exhaustive)")

    if report.dead_ends:
        lines.append("Dead ends (not an ending, and no choice is available):")
        for stuck in report.dead_ends.values():
            lines.extend(_stuck_lines(stuck, unit))
    else:
        lines.append("Dead ends: none")
    if report.traps:
        lines.append("Traps (no ending can ever be reached from here):")
        for stuck in report.traps.values():
            lines.extend(_stuck_lines(stuck, unit))

    unreached = (
        [f"  scene {s}" for s in report.unreached_scenes]
        + [f"  choice {c}" for c in report.unreached_choices]
        + [f"  {_branch_text(b)}" for b in report.unreached_branches]
    )
    if unreached:
        lines.append("Never reached:" if not report.truncated else f"Not reached within {report.max_states:,} states:")
        lines.extend(unreached)
    else:
        lines.append("Never reached: nothing")
    if report.mode == "random" and report.all_passages:
        unshown = report.unshown_passages
        if unshown:
            lines.append(f"Passages never shown ({len(unshown)}; thaw playtest --prove says whether one can be):")
            lines.extend(f"  {p}" for p in unshown)
        else:
            lines.append("Passages never shown: none")
    if hits and report.mode == "random":
        lines.extend(_hit_lines(report))

    if report.failed:
        problems = []
        if report.dead_ends:
            problems.append(_count(len(report.dead_ends), "dead end"))
        if report.traps:
            problems.append(_count(len(report.traps), "trap"))
        if unreached:
            problems.append(f"{len(unreached)} never reached")
        lines.append("FAILED: " + ", ".join(problems))
    else:
        lines.append("OK: every scene, choice and branch was reached, and no player gets stuck")
    return "\n".join(lines)



def _hit_lines(report: PlaytestReport) -> list[str]:
    """Every scene with its hit count, its passages and choices under it, rarest first within a scene."""
    lines = [f"Hit counts over {_count(report.runs, 'run')} (scene arrivals; passages shown; choices taken):"]
    by_scene: dict[str, list[tuple[str, int]]] = {}
    for key in report.all_passages:
        by_scene.setdefault(key.partition("#")[0], []).append((f"passage {key}", report.passage_hits.get(key, 0)))
    for key in report.all_choices:
        by_scene.setdefault(key.partition(".")[0], []).append((f"choice {key}", report.choice_hits.get(key, 0)))
    for sid in report.all_scenes:
        lines.append(f"  {report.scene_hits.get(sid, 0):>7,}  {sid}")
        lines.extend(f"  {n:>7,}    {label}" for label, n in by_scene.get(sid, ()))
    return lines


def _stuck_lines(stuck: Stuck, unit: str) -> list[str]:
    values = ", ".join(f"{k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in stuck.values.items())
    odds = f", {100 * stuck.probability:.2g}% of random play" if stuck.probability is not None else ""
    return [
        f"  {stuck.scene} ({_count(stuck.count, unit)}{odds}): {format_path(stuck.path)}",
        *([f"    with {values}"] if values else []),
    ]


def _branch_text(key: str) -> str:
    choice, _, which = key.partition("/")
    if which == "goto":
        return f"choice {choice}: its own goto (one of its branches always took over)"
    return f"choice {choice}: branch {which.removeprefix('branch')}"
