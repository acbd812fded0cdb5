"""The order of the scene graph for `thaw playtest --prove`: where each scene leads, and a
topological rank of the scenes (a loop's scenes share one), so the walk visits a scene after
every scene that leads to it."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from game.story.story import Story


def leads_to(story: Story, sid: str) -> Iterable[str]:
    """Every scene a choice or a branch of scene `sid` leads to."""
    for choice in story.scenes[sid].choice:
        yield choice.goto
        for branch in choice.branch:
            yield branch.goto


def ranks(story: Story, scope: set[str]) -> dict[str, int]:
    """A topological rank of the scenes (a loop's scenes share the rank of its strongly connected part)."""
    return strongly_connected({sid: [t for t in leads_to(story, sid) if t in scope] for sid in sorted(scope)})


def strongly_connected(graph: dict[str, list[str]]) -> dict[str, int]:
    """Tarjan's algorithm, without recursion: node -> the topological rank of its strongly connected part."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    order: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on.add(root)
        work = [(root, iter(graph[root]))]
        while work:
            node, it = work[-1]
            nxt = next(it, None)
            if nxt is not None:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on.add(nxt)
                    work.append((nxt, iter(graph[nxt])))
                elif nxt in on:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                part = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    part.append(w)
                    if w == node:
                        break
                order.append(part)
    # Tarjan emits the parts in reverse topological order.
    return {node: rank for rank, part in enumerate(reversed(order)) for node in part}


def leading_to(story: Story, goals: Iterable[str], scope: Collection[str] | None = None) -> set[str]:
    """The scenes (of `scope`, default all) from which one of `goals` can be reached, goals included."""
    scope = story.scenes if scope is None else scope
    preds: dict[str, set[str]] = {sid: set() for sid in scope}
    for sid in scope:
        for target in leads_to(story, sid):
            if target in preds:
                preds[target].add(sid)
    found = {g for g in goals if g in preds}
    frontier = list(found)
    while frontier:
        for prev in preds[frontier.pop()]:
            if prev not in found:
                found.add(prev)
                frontier.append(prev)
    return found
