"""The condition language: parsed with `ast` into an allow-listed tree, compiled once at load.

A condition such as ``standing >= 3 and not visited("c1_vigil")`` is parsed by Python's own
parser in "eval" mode (parsing only: nothing is ever evaluated by Python), then every node is
checked against a short allow-list and turned into a closure. Anything outside the list is a
:class:`ConditionError` with a plain message, never a runtime surprise.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

MAX_CONDITION_LENGTH = 2000
MAX_DEPTH = 40


class ConditionError(ValueError):
    """A condition that cannot be parsed or uses something outside the language."""


class Context(Protocol):
    """What a compiled condition reads: the game state plus a random draw."""

    def value(self, name: str) -> int | bool: ...
    def visits(self, scene_id: str) -> int: ...
    def chose(self, key: str) -> bool: ...
    def chance(self, percent: int) -> bool: ...


Evaluator = Callable[[Context], Any]

_COMPARE = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
_COMPARE_TEXT = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
_FUNCTIONS = {"visited": "scene", "visits": "scene", "chose": "choice", "chance": "percent"}
_KEYWORDS = {"true": True, "false": False, "True": True, "False": False}


@dataclass(frozen=True)
class Condition:
    """A parsed condition: its source text, its compiled closure and what it refers to."""

    source: str
    evaluate: Evaluator
    tree: ast.expr
    names: frozenset[str] = field(default_factory=frozenset)
    scenes: frozenset[str] = field(default_factory=frozenset)
    choices: frozenset[str] = field(default_factory=frozenset)
    uses_chance: bool = False

    def __call__(self, ctx: Context) -> bool:
        return bool(self.evaluate(ctx))


@dataclass
class _Refs:
    names: set[str] = field(default_factory=set)
    scenes: set[str] = field(default_factory=set)
    choices: set[str] = field(default_factory=set)
    uses_chance: bool = False


def compile_condition(
    source: str,
    types: Mapping[str, type],
    *,
    allow_chance: bool = False,
) -> Condition:
    """Parse and compile `source`; `types` maps each declared name to ``int`` or ``bool``."""
    if not isinstance(source, str):
        raise ConditionError("a condition must be text in quotes")
    text = source.strip()
    if not text:
        raise ConditionError("the condition is empty")
    if len(text) > MAX_CONDITION_LENGTH:
        raise ConditionError(f"the condition is longer than {MAX_CONDITION_LENGTH} characters")
    if "\n" in text or "\r" in text:
        raise ConditionError("a condition must fit on one line")
    try:
        tree = ast.parse(text, mode="eval").body
    except SyntaxError as exc:
        where = f" at column {exc.offset}" if exc.offset else ""
        if re.search(r"(?<![=<>!])=(?!=)", text):
            raise ConditionError(f"cannot read the condition {text!r}{where}: to compare, write == "
                                 "(a single = assigns, and a condition only compares), e.g. 'family == 5'") from None
        raise ConditionError(f"cannot read the condition {text!r}{where}: check brackets, quotes and operators") from None
    except (ValueError, RecursionError, MemoryError):
        raise ConditionError(f"cannot read the condition {text!r}") from None
    refs = _Refs()
    compiler = _Compiler(types, refs, allow_chance)
    evaluate, kind = compiler.compile(tree, 0)
    if kind is not bool:
        raise ConditionError(f"the condition {text!r} is a number, not true/false: compare it, e.g. '{text} >= 1'")
    return Condition(
        source=text,
        evaluate=evaluate,
        tree=tree,
        names=frozenset(refs.names),
        scenes=frozenset(refs.scenes),
        choices=frozenset(refs.choices),
        uses_chance=refs.uses_chance,
    )


class _Compiler:
    def __init__(self, types: Mapping[str, type], refs: _Refs, allow_chance: bool) -> None:
        self.types = types
        self.refs = refs
        self.allow_chance = allow_chance

    def compile(self, node: ast.AST, depth: int) -> tuple[Evaluator, type]:
        if depth > MAX_DEPTH:
            raise ConditionError(f"the condition is nested more than {MAX_DEPTH} levels deep")
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise ConditionError(_describe_forbidden(node))
        return method(node, depth + 1)

    # -- leaves --
    def _Name(self, node: ast.Name, depth: int) -> tuple[Evaluator, type]:
        name = node.id
        if name in _KEYWORDS:
            value = _KEYWORDS[name]
            return (lambda ctx: value), bool
        if name.startswith("_"):
            raise ConditionError(f"'{name}' is not allowed: names cannot start with '_'")
        kind = self.types.get(name)
        if kind is None:
            hint = _suggest(name, self.types)
            raise ConditionError(f"unknown name '{name}': declare it under [stats] or [flags]{hint}")
        self.refs.names.add(name)
        return (lambda ctx: ctx.value(name)), kind

    def _Constant(self, node: ast.Constant, depth: int) -> tuple[Evaluator, type]:
        value = node.value
        if isinstance(value, bool):
            return (lambda ctx: value), bool
        if isinstance(value, int):
            return (lambda ctx: value), int
        if isinstance(value, str):
            return (lambda ctx: value), str
        raise ConditionError(f"{value!r} is not allowed: use whole numbers, true/false or \"text\"")

    # -- operators --
    def _UnaryOp(self, node: ast.UnaryOp, depth: int) -> tuple[Evaluator, type]:
        inner, kind = self.compile(node.operand, depth)
        if isinstance(node.op, ast.Not):
            self._want(kind, bool, "'not'")
            return (lambda ctx: not inner(ctx)), bool
        if isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
            self._want(kind, int, "'-'")
            return (lambda ctx: -inner(ctx)), int
        raise ConditionError("only 'not' and a minus sign before a number are allowed here")

    def _BoolOp(self, node: ast.BoolOp, depth: int) -> tuple[Evaluator, type]:
        parts = []
        word = "'and'" if isinstance(node.op, ast.And) else "'or'"
        for value in node.values:
            fn, kind = self.compile(value, depth)
            self._want(kind, bool, word)
            parts.append(fn)
        if isinstance(node.op, ast.And):
            return (lambda ctx: all(p(ctx) for p in parts)), bool
        return (lambda ctx: any(p(ctx) for p in parts)), bool

    def _Compare(self, node: ast.Compare, depth: int) -> tuple[Evaluator, type]:
        operands = [self.compile(node.left, depth)]
        operands += [self.compile(c, depth) for c in node.comparators]
        steps = []
        for i, op in enumerate(node.ops):
            fn = _COMPARE.get(type(op))
            if fn is None:
                raise ConditionError(f"the operator '{_op_text(op)}' is not allowed: use == != < <= > >=")
            (left, lkind), (right, rkind) = operands[i], operands[i + 1]
            if lkind is not rkind:
                raise ConditionError(
                    f"cannot compare {_kind_text(lkind)} with {_kind_text(rkind)} "
                    f"using '{_COMPARE_TEXT[type(op)]}'"
                )
            if lkind is not int and fn not in (operator.eq, operator.ne):
                raise ConditionError(f"'{_COMPARE_TEXT[type(op)]}' compares numbers, not {_kind_text(lkind)}")
            steps.append((fn, left, right))
        if len(steps) == 1:
            fn, left, right = steps[0]
            return (lambda ctx: fn(left(ctx), right(ctx))), bool
        return (lambda ctx: all(fn(left(ctx), right(ctx)) for fn, left, right in steps)), bool

    def _Call(self, node: ast.Call, depth: int) -> tuple[Evaluator, type]:
        if not isinstance(node.func, ast.Name) or node.func.id not in _FUNCTIONS:
            name = node.func.id if isinstance(node.func, ast.Name) else "this"
            allowed = ", ".join(f"{f}()" for f in _FUNCTIONS)
            raise ConditionError(f"the function '{name}' is not allowed: use {allowed}")
        func = node.func.id
        if node.keywords or len(node.args) != 1:
            raise ConditionError(f"{func}() takes exactly one value, e.g. {_example(func)}")
        arg = node.args[0]
        if func == "chance":
            if not self.allow_chance:
                raise ConditionError("chance() is allowed only in a choice's branch conditions")
            if not (isinstance(arg, ast.Constant) and type(arg.value) is int and 0 <= arg.value <= 100):
                raise ConditionError("chance() takes a whole number from 0 to 100, e.g. chance(30)")
            percent = arg.value
            self.refs.uses_chance = True
            return (lambda ctx: ctx.chance(percent)), bool
        if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
            raise ConditionError(f"{func}() takes a quoted id, e.g. {_example(func)}")
        key = arg.value
        if func == "chose":
            if key.count(".") != 1:
                raise ConditionError(f"chose() takes \"scene_id.choice_id\", not {key!r}")
            self.refs.choices.add(key)
            return (lambda ctx: ctx.chose(key)), bool
        self.refs.scenes.add(key)
        if func == "visits":
            return (lambda ctx: ctx.visits(key)), int
        return (lambda ctx: ctx.visits(key) > 0), bool

    @staticmethod
    def _want(kind: type, wanted: type, where: str) -> None:
        if kind is not wanted:
            raise ConditionError(f"{where} needs {_kind_text(wanted)}, not {_kind_text(kind)}")


def _kind_text(kind: type) -> str:
    return {bool: "true/false", int: "a number", str: "text"}.get(kind, "a value")


def _op_text(op: ast.cmpop) -> str:
    return {ast.In: "in", ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not"}.get(type(op), "?")


def _example(func: str) -> str:
    return {
        "visited": 'visited("c1_vigil")',
        "visits": 'visits("c1_vigil") >= 2',
        "chose": 'chose("c1_vigil.stay")',
        "chance": "chance(30)",
    }[func]


def _describe_forbidden(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return "attributes ('.') are not allowed in conditions"
    if isinstance(node, ast.Subscript):
        return "indexing ('[...]') is not allowed in conditions"
    if isinstance(node, ast.Lambda):
        return "lambda is not allowed in conditions"
    if isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
        return "comprehensions are not allowed in conditions"
    if isinstance(node, ast.BinOp):
        return "arithmetic is not allowed in conditions: compare values with == != < <= > >="
    if isinstance(node, (ast.List, ast.Tuple, ast.Set, ast.Dict)):
        return "lists, tuples and tables are not allowed in conditions"
    if isinstance(node, ast.IfExp):
        return "'x if y else z' is not allowed in conditions: use and/or"
    if isinstance(node, ast.NamedExpr):
        return "':=' is not allowed in conditions"
    return f"this is not allowed in conditions ({type(node).__name__})"


def _suggest(name: str, known: Mapping[str, Any]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""

