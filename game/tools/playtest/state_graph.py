"""Analyses of the state graph the exhaustive walk built: traps, the longest playthrough, exact odds."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable

from game.tools.playtest.report import PlaytestReport, Playthrough, Step, Stuck

Edges = list[list[tuple[int, Step, float]]]
ODDS_SWEEPS = 10_000


def _topological(edges: Edges) -> list[int] | None:
    """The states in an order where every move goes forwards; None when there is a loop."""
    indegree = [0] * len(edges)
    for targets in edges:
        for t, _step, _p in targets:
            indegree[t] += 1
    order = [n for n, d in enumerate(indegree) if d == 0]
    for n in order:  # grows while it is read
        for t, _step, _p in edges[n]:
            indegree[t] -= 1
            if indegree[t] == 0:
                order.append(t)
    return order if len(order) == len(edges) else None


def _odds(report: PlaytestReport, edges: Edges, terminal: list[str], scene_of: list[str]) -> None:
    """Playthrough counts (when finite) and the chances of a random player, per ending and dead end."""
    order = _topological(edges)
    mass = [0.0] * len(edges)
    mass[0] = 1.0
    if order is not None:
        paths = [0] * len(edges)
        paths[0] = 1
        for n in order:
            for t, _step, p in edges[n]:
                paths[t] += paths[n]
                mass[t] += mass[n] * p
        report.playthroughs = sum(paths[n] for n, kind in enumerate(terminal) if kind == "ending")
        for ending in report.endings.values():
            ending.playthroughs = 0
        for n, kind in enumerate(terminal):
            if kind == "ending":
                report.endings[scene_of[n]].playthroughs += paths[n]  # type: ignore[operator]
        final = mass
    else:
        # A loop: push the probability along the moves until (almost) all of it has come to rest.
        final = [0.0] * len(edges)
        moving = {0: 1.0}
        for _sweep in range(ODDS_SWEEPS):
            nxt: dict[int, float] = {}
            for n, m in moving.items():
                if terminal[n] or not edges[n]:
                    final[n] += m
                    continue
                for t, _step, p in edges[n]:
                    nxt[t] = nxt.get(t, 0.0) + m * p
            moving = {n: m for n, m in nxt.items() if m > 1e-12}
            if not moving:
                break
    for ending in report.endings.values():
        ending.probability = 0.0
    for n, kind in enumerate(terminal):
        if kind == "ending":
            report.endings[scene_of[n]].probability += final[n]  # type: ignore[operator]
        elif kind == "dead":
            stuck = report.dead_ends[scene_of[n]]
            stuck.probability = (stuck.probability or 0.0) + final[n]


def _reverse_reach(edges: Edges, seeds: Iterable[int]) -> list[bool]:
    """Which states can reach one of `seeds` (the seeds included)."""
    incoming: list[list[int]] = [[] for _ in edges]
    for n, targets in enumerate(edges):
        for t, _step, _p in targets:
            incoming[t].append(n)
    ok = [False] * len(edges)
    queue = deque(seeds)
    for n in queue:
        ok[n] = True
    while queue:
        for prev in incoming[queue.popleft()]:
            if not ok[prev]:
                ok[prev] = True
                queue.append(prev)
    return ok


def _traps(report: PlaytestReport, edges: Edges, terminal: list[str], scene_of: list[str],
           path_to: Callable[[int], tuple[Step, ...]]) -> None:
    """States from which no terminal state (ending or dead end) can be reached."""
    can_finish = _reverse_reach(edges, (n for n, kind in enumerate(terminal) if kind))
    for n, ok in enumerate(can_finish):  # node numbers follow BFS order: the first is the nearest
        if ok:
            continue
        stuck = report.traps.get(scene_of[n])
        if stuck is None:
            report.traps[scene_of[n]] = Stuck(scene_of[n], path_to(n), {})
        else:
            stuck.count += 1


def _longest(report: PlaytestReport, edges: Edges, terminal: list[str],
             scene_of: list[str]) -> None:
    """The longest playthrough to an ending, or a loop that makes play unbounded.

    Only states that can still reach an ending count: a loop with no way out is a trap, reported
    apart. Among the others, a cycle means a player can go round it as often as they like.
    """
    live = _reverse_reach(edges, (n for n, kind in enumerate(terminal) if kind == "ending"))
    if not live or not live[0]:
        return
    n_nodes = len(edges)
    colour = [0] * n_nodes  # 0 new, 1 on the DFS stack, 2 done
    best = [-1] * n_nodes  # the most moves from here to an ending; -1: none
    nxt: list[tuple[int, Step] | None] = [None] * n_nodes
    stack: list[tuple[int, int]] = [(0, 0)]
    trail: list[int] = [0]
    colour[0] = 1
    while stack:
        node, i = stack[-1]
        if i < len(edges[node]):
            stack[-1] = (node, i + 1)
            child = edges[node][i][0]
            if not live[child]:
                continue
            if colour[child] == 1:
                loop = trail[trail.index(child):]
                report.unbounded_loop = tuple(scene_of[m] for m in loop) + (scene_of[child],)
                return
            if colour[child] == 0:
                colour[child] = 1
                stack.append((child, 0))
                trail.append(child)
            continue
        stack.pop()
        trail.pop()
        colour[node] = 2
        if terminal[node] == "ending":
            best[node] = 0
        for child, step, _p in edges[node]:
            if live[child] and best[child] >= 0 and best[child] + 1 > best[node]:
                best[node] = best[child] + 1
                nxt[node] = (child, step)
    path: list[Step] = []
    node = 0
    while nxt[node] is not None:
        child, step = nxt[node]  # type: ignore[misc]
        path.append(step)
        node = child
    report.longest = Playthrough(scene_of[node], tuple(path))
