"""Why something can never happen: a proof read off the abstract states where it would have to hold.

A proof names the condition and what is true of every path to its scene: either one value alone
rules it out ("lapin is 0..4 on every path to c2_x, so 'lapin >= 7' never holds") or the
combinations of the values it reads that occur ("(joined_velichko, helped_gelfand) is one of
(true, false), (false, true) on every path there").
"""

from __future__ import annotations

from collections.abc import Iterable

from game.tools.playtest.abstract import INFINITY, AState, Space, assume

MAX_COMBINATIONS = 8


def tree_vars(tree: tuple) -> tuple[set[int], set[int]]:
    """The bits and numbers a compiled condition reads."""
    bits: set[int] = set()
    nums: set[int] = set()

    def walk(node: tuple) -> None:
        kind = node[0]
        if kind == "bit":
            bits.add(node[1])
        elif kind == "num":
            nums.add(node[1])
        elif kind in ("and", "or"):
            for part in node[1]:
                walk(part)
        elif kind == "not":
            walk(node[1])
        elif kind == "beq":
            walk(node[1])
            walk(node[2])
        elif kind == "cmp":
            walk(node[2])
            walk(node[3])

    walk(tree)
    return bits, nums


def holds_somewhere(tree: tuple, states: Iterable[AState]) -> bool:
    return any(assume(tree, True, s) for s in states)


def _only(space: Space, state: AState, bits: set[int], nums: set[int]) -> AState:
    """`state` with everything but these variables forgotten."""
    mask = sum(1 << i for i in bits)
    return AState(state.known & mask, state.value & mask,
                  tuple(n if i in nums else space.ranges[i] for i, n in enumerate(state.nums)))


def _bit_text(value: int) -> str:
    return {0: "false", 1: "true"}.get(value, "either")


def _num_text(value: tuple[int, int]) -> str:
    lo, hi = value
    if hi >= INFINITY:
        return f"{lo} or more"
    return str(lo) if lo == hi else f"{lo}..{hi}"


def _ranges_text(values: Iterable[tuple[int, int]]) -> str:
    merged: list[list[int]] = []
    for lo, hi in sorted(values):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return " or ".join(_num_text((lo, hi)) for lo, hi in merged)


def _name(space: Space, kind: str, index: int) -> str:
    name = space.bit_names[index] if kind == "bit" else space.num_names[index]
    if name.startswith("chose:"):
        return f'chose("{name[6:]}")'
    if name.startswith("visits:"):
        return f'visits("{name[7:]}")'
    return name


def why_never(space: Space, tree: tuple, source: str, states: list[AState], where: str) -> str:
    """The proof that `source` (compiled as `tree`) is false in every state of `states`."""
    if not states:
        return f"no path reaches {where}"
    bits, nums = tree_vars(tree)
    for i in sorted(bits):
        if not any(assume(tree, True, _only(space, s, {i}, set())) for s in states):
            values = sorted({s.bit(i) for s in states})
            shown = " or ".join(_bit_text(v) for v in values)
            return f"{_name(space, 'bit', i)} is {shown} on every path to {where}, so '{source}' never holds"
    for i in sorted(nums):
        if not any(assume(tree, True, _only(space, s, set(), {i})) for s in states):
            shown = _ranges_text(s.nums[i] for s in states)
            return f"{_name(space, 'num', i)} is {shown} on every path to {where}, so '{source}' never holds"
    names = [("bit", i) for i in sorted(bits)] + [("num", i) for i in sorted(nums)]
    rows = sorted({
        tuple(_bit_text(s.bit(i)) if kind == "bit" else _num_text(s.nums[i]) for kind, i in names)
        for s in states
    })
    shown = ", ".join("(" + ", ".join(row) + ")" for row in rows[:MAX_COMBINATIONS])
    if len(rows) > MAX_COMBINATIONS:
        shown += f" and {len(rows) - MAX_COMBINATIONS} more"
    head = "(" + ", ".join(_name(space, kind, i) for kind, i in names) + ")"
    if len(names) == 1:
        head = head[1:-1]
    return f"on every path to {where}, {head} is one of {shown}, and '{source}' holds for none of them"
