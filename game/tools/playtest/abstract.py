"""The abstract states `thaw playtest --prove` reasons with: flags exact or unknown, numbers as intervals.

An abstract state stands for every game state whose flags (and "was this choice taken" bits) have
the values it lists (0, 1, or "either") and whose stats and visit counts lie in its
intervals. Every operation here over-approximates: the abstract result holds every concrete
result, so "no abstract state satisfies this condition" proves that no game state does.

Conditions are compiled once from their parsed tree into small tuples; :func:`assume` narrows a
state to the part where a condition has a given truth value (possibly splitting it in two).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from game.story.story import Story
from game.tools.playtest.exhaustive import _int_const, _visits_arg

UNKNOWN = 2
#: the top of a visit count's interval once it has passed its cap ("this many or more")
INFINITY = 1 << 30

Num = tuple[int, int]


@dataclass(frozen=True)
class AState:
    """Flag bits and number intervals, in the order of :class:`Space`.

    Bit i is known when `known` has it set, and then its value is that bit of `value` (always
    0 where unknown); integers keep projection and merging cheap however many flags a story has.
    """

    known: int
    value: int
    nums: tuple[Num, ...]

    @property
    def key(self) -> tuple[int, int]:
        return (self.known, self.value)

    def bit(self, i: int) -> int:
        """0, 1, or UNKNOWN."""
        return (self.value >> i) & 1 if (self.known >> i) & 1 else UNKNOWN

    def with_bit(self, i: int, value: int) -> AState:
        mask = 1 << i
        return AState(self.known | mask, (self.value | mask) if value else (self.value & ~mask), self.nums)


class Space:
    """The variables of a story: flags and taken-bits (bits), stats and visit counts (numbers)."""

    def __init__(self, story: Story) -> None:
        self.story = story
        visited: set[str] = set()
        taken: set[str] = set()
        for condition in story.conditions.values():
            visited |= condition.scenes
            taken |= condition.choices
        for scene in story.scenes.values():
            taken |= {f"{scene.id}.{c.id}" for c in scene.choice if c.once}
        self.bit_names = list(story.flags) + [f"chose:{k}" for k in sorted(taken)]
        self.num_names = list(story.stats) + [f"visits:{s}" for s in sorted(visited)]
        self.bit = {name: i for i, name in enumerate(self.bit_names)}
        self.num = {name: i for i, name in enumerate(self.num_names)}
        self.ranges: list[Num] = [(st.min, st.max) for st in story.stats.values()]
        self.ranges += [(0, INFINITY)] * len(visited)
        self.caps = _visit_caps(story, visited)
        self.all_bits = (1 << len(self.bit_names)) - 1
        self._flag_bits = [(name, 1 << i) for i, name in enumerate(story.flags)]
        self._taken_bits = [(name[6:], 1 << self.bit[name]) for name in self.bit_names[len(story.flags):]]
        self._visit_nums = [(name, name[7:]) for name in self.num_names[len(story.stats):]]

    def start(self, scene: str) -> AState:
        story = self.story
        value = sum(1 << i for i, v in enumerate(story.flags.values()) if v)
        nums = [(st.start, st.start) for st in story.stats.values()]
        nums += [(1, 1) if name == f"visits:{scene}" else (0, 0) for name in self.num_names[len(story.stats):]]
        return AState(self.all_bits, value, tuple(nums))

    def of(self, state: Any) -> AState:
        """The abstract state holding exactly one concrete game state."""
        flags, taken, visits = state.flags, state.taken, state.visits
        value = 0
        for name, mask in self._flag_bits:
            if flags[name]:
                value |= mask
        for key, mask in self._taken_bits:
            if taken.get(key, 0) > 0:
                value |= mask
        nums = [(v, v) for v in state.stats.values()]
        for name, scene in self._visit_nums:
            count = visits.get(scene, 0)
            nums.append(self.capped(name, count, count))
        return AState(self.all_bits, value, tuple(nums))

    def capped(self, name: str, lo: int, hi: int) -> Num:
        cap = self.caps.get(name[7:])
        if cap is not None and lo >= cap:
            return (cap, INFINITY)
        return (lo, hi)


def _visit_caps(story: Story, scenes: Iterable[str]) -> dict[str, int]:
    """Past this count no condition tells visit counts apart: one past the largest number they meet."""
    limit = {name: st.max for name, st in story.stats.items()}
    caps = {s: 1 for s in scenes}
    for condition in story.conditions.values():
        for node in ast.walk(condition.tree):
            if isinstance(node, ast.Compare):
                operands = [node.left, *node.comparators]
                for i in range(len(operands) - 1):
                    for this, other in ((operands[i], operands[i + 1]), (operands[i + 1], operands[i])):
                        scene = _visits_arg(this)
                        if scene is None or scene not in caps:
                            continue
                        if isinstance(other, ast.Name) and other.id in limit:
                            bound = limit[other.id]
                        else:
                            bound = _int_const(other)
                        caps[scene] = INFINITY if bound is None else max(caps[scene], bound + 1)
    return caps


# ---- conditions ------------------------------------------------------------------------------------
# Bool nodes: ("const", b) ("bit", i) ("not", n) ("and", ns) ("or", ns) ("cmp", op, l, r) ("beq", a, b)
# ("chance", percent). Number expressions: ("num", i) ("lit", value).

_OPS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
_NEGATE = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}
_MIRROR = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


def compile_tree(space: Space, tree: ast.expr) -> tuple:
    """A condition's parsed tree (already checked by the loader) as nodes for :func:`assume`."""
    if isinstance(tree, ast.BoolOp):
        kind = "and" if isinstance(tree.op, ast.And) else "or"
        return (kind, tuple(compile_tree(space, v) for v in tree.values))
    if isinstance(tree, ast.UnaryOp) and isinstance(tree.op, ast.Not):
        return ("not", compile_tree(space, tree.operand))
    if isinstance(tree, ast.Compare):
        operands = [tree.left, *tree.comparators]
        parts = []
        for i, op in enumerate(tree.ops):
            left, right = _expr(space, operands[i]), _expr(space, operands[i + 1])
            if left[0] == "bool" or right[0] == "bool":
                pair = ("beq", _as_bool(left), _as_bool(right))
                parts.append(pair if _OPS[type(op)] == "==" else ("not", pair))
            else:
                parts.append(("cmp", _OPS[type(op)], left, right))
        return parts[0] if len(parts) == 1 else ("and", tuple(parts))
    expr = _expr(space, tree)
    return _as_bool(expr)


def _as_bool(expr: tuple) -> tuple:
    if expr[0] == "bool":
        return expr[1]
    if expr[0] == "lit":
        return ("const", bool(expr[1]))
    raise ValueError("not a true/false expression")  # the loader refuses these


def _expr(space: Space, node: ast.expr) -> tuple:
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool):
            return ("bool", ("const", node.value))
        return ("lit", node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return ("lit", _int_const(node))
    if isinstance(node, ast.Name):
        if node.id in ("true", "True", "false", "False"):
            return ("bool", ("const", node.id in ("true", "True")))
        if node.id in space.num:
            return ("num", space.num[node.id])
        return ("bool", ("bit", space.bit[node.id]))
    if isinstance(node, ast.Call):
        func, arg = node.func.id, node.args[0].value  # type: ignore[attr-defined]
        if func == "chance":
            return ("bool", ("chance", arg))
        if func == "chose":
            return ("bool", ("bit", space.bit[f"chose:{arg}"]))
        index = space.num[f"visits:{arg}"]
        if func == "visits":
            return ("num", index)
        return ("bool", ("cmp", ">", ("num", index), ("lit", 0)))
    return ("bool", compile_tree(space, node))


def assume(node: tuple, truth: bool, state: AState) -> list[AState]:
    """The part of `state` where `node` evaluates to `truth` (an over-approximation; [] if none)."""
    kind = node[0]
    if kind == "const":
        return [state] if node[1] == truth else []
    if kind == "bit":
        value = state.bit(node[1])
        if value == UNKNOWN:
            return [state.with_bit(node[1], int(truth))]
        return [state] if value == int(truth) else []
    if kind == "not":
        return assume(node[1], not truth, state)
    if kind == "chance":
        percent = node[1]
        if percent <= 0 or percent >= 100:
            return [state] if (percent >= 100) == truth else []
        return [state]
    if kind in ("and", "or"):
        if (kind == "and") == truth:  # every part must come out `truth`
            states = [state]
            for part in node[1]:
                states = [s for st in states for s in assume(part, truth, st)]
                if not states:
                    return []
            return _unique(states)
        return _unique([s for part in node[1] for s in assume(part, truth, state)])
    if kind == "beq":
        a, b = node[1], node[2]
        out = []
        for value in (True, False):
            wanted = value if truth else not value
            out += [s2 for s1 in assume(a, value, state) for s2 in assume(b, wanted, s1)]
        return _unique(out)
    # a comparison of numbers
    op, left, right = node[1], node[2], node[3]
    if not truth:
        op = _NEGATE[op]
    if left[0] == "lit" and right[0] == "num":
        op, left, right = _MIRROR[op], right, left
    if left[0] == "num" and right[0] == "lit" and isinstance(right[1], int):
        return _narrow(state, left[1], op, right[1])
    lo_l, hi_l = _range(state, left)
    lo_r, hi_r = _range(state, right)
    possible = _may_hold(op, lo_l, hi_l, lo_r, hi_r)
    return [state] if possible else []


def _range(state: AState, expr: tuple) -> tuple[Any, Any]:
    if expr[0] == "num":
        return state.nums[expr[1]]
    return expr[1], expr[1]


def _may_hold(op: str, lo_l: Any, hi_l: Any, lo_r: Any, hi_r: Any) -> bool:
    """Whether some left value and some right value in these ranges satisfy `op`."""
    if op == "==":
        return not (hi_l < lo_r or hi_r < lo_l)
    if op == "!=":
        return not (lo_l == hi_l == lo_r == hi_r)
    if op == "<":
        return lo_l < hi_r
    if op == "<=":
        return lo_l <= hi_r
    if op == ">":
        return hi_l > lo_r
    return hi_l >= lo_r


def _narrow(state: AState, index: int, op: str, value: int) -> list[AState]:
    lo, hi = state.nums[index]
    if op == "==":
        pieces = [(value, value)] if lo <= value <= hi else []
    elif op == "!=":
        pieces = [(lo, min(hi, value - 1)), (max(lo, value + 1), hi)]
    elif op == "<":
        pieces = [(lo, min(hi, value - 1))]
    elif op == "<=":
        pieces = [(lo, min(hi, value))]
    elif op == ">":
        pieces = [(max(lo, value + 1), hi)]
    else:
        pieces = [(max(lo, value), hi)]
    out = []
    for a, b in pieces:
        if a <= b:
            nums = list(state.nums)
            nums[index] = (a, b)
            out.append(AState(state.known, state.value, tuple(nums)))
    return out


def _unique(states: list[AState]) -> list[AState]:
    return list(dict.fromkeys(states)) if len(states) > 1 else states


def hull(a: AState, b: AState) -> AState:
    """The smallest abstract state holding both."""
    known = a.known & b.known & ~(a.value ^ b.value)
    nums = a.nums if a.nums == b.nums else tuple(
        x if x == y else (min(x[0], y[0]), max(x[1], y[1])) for x, y in zip(a.nums, b.nums))
    return AState(known, a.value & known, nums)


def contains(outer: AState, inner: AState) -> bool:
    """Whether every game state of `inner` is one of `outer`'s."""
    return (outer.known & ~inner.known) == 0 and (outer.value ^ inner.value) & outer.known == 0 and all(
        o[0] <= i[0] and i[1] <= o[1] for o, i in zip(outer.nums, inner.nums)
    )
