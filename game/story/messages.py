"""The loader's words: "did you mean", labels for a table, and a pydantic error made into a
sentence a writer can act on (kept apart so the loader itself stays about loading)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel

def suggest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def label_for(loc: Sequence[str | int], raw: Any, id_: str | None) -> str:
    kind = str(loc[0])
    if id_ is not None:
        return f"{kind} '{id_}'"
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return f"{kind} '{raw['id']}'"
    return f"this {kind}"


def scene_and_choice(loc: Sequence[str | int], raw: Any, sub: Sequence[str | int]) -> tuple[str | None, str | None]:
    if loc[0] != "scene" or not isinstance(raw, dict):
        return None, None
    scene = raw.get("id") if isinstance(raw.get("id"), str) else None
    choice = None
    if len(sub) >= 2 and sub[0] == "choice" and isinstance(sub[1], int):
        choices = raw.get("choice")
        if isinstance(choices, list) and sub[1] < len(choices) and isinstance(choices[sub[1]], dict):
            cid = choices[sub[1]].get("id")
            choice = cid if isinstance(cid, str) else None
    return scene, choice


def explain(err: Any, model: type[BaseModel]) -> str:
    """Turn a pydantic error into a sentence a writer can act on."""
    loc = [p for p in err["loc"] if isinstance(p, str)]
    field = loc[-1] if loc else ""
    kind = err["type"]
    value = err.get("input")
    if kind == "missing":
        return f"missing required field '{field}'"
    if kind == "extra_forbidden":
        owner = _owner_fields(model, loc[:-1])
        return f"unknown field '{field}'{suggest(field, owner)}"
    if kind == "string_pattern_mismatch":
        return f"'{field}' = {value!r} is not a valid id: use lower-case letters, digits, '_' or '-', starting with a letter"
    if kind == "string_too_long":
        limit = (err.get("ctx") or {}).get("max_length")
        return f"'{field}' is too long" + (f" (at most {limit} characters)" if limit else "")
    if kind.startswith("date"):
        return f"'{field}' must be a TOML date such as 1953-03-05, not {value!r}"
    if kind in ("greater_than_equal", "less_than_equal"):
        ctx = err.get("ctx") or {}
        if kind == "greater_than_equal":
            return f"'{field}' must be at least {ctx.get('ge')}, not {value!r}"
        return f"'{field}' must be at most {ctx.get('le')}, not {value!r}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"'{field}' must be a whole number, not {value!r}"
    if kind in ("bool_type", "bool_parsing"):
        return f"'{field}' must be true or false, not {value!r}"
    if kind in ("string_type",):
        return f"'{field}' must be text in quotes, not {value!r}"
    if kind in ("tuple_type", "list_type"):
        return f"'{field}' must be a list such as [\"a\", \"b\"]"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"'{field}' must be a table"
    if kind == "literal_error":
        return f"'{field}' {err['msg'].lower()}"
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    return f"'{field}': {err['msg']}" if field else str(err["msg"])


def _owner_fields(model: type[BaseModel], path: Sequence[str]) -> list[str]:
    current: Any = model
    for part in path:
        fields = getattr(current, "model_fields", {})
        info = next((f for n, f in fields.items() if n == part or f.alias == part), None)
        if info is None:
            return []
        current = _inner_model(info.annotation)
    fields = getattr(current, "model_fields", {})
    return [f.alias or n for n, f in fields.items()]


def _inner_model(annotation: Any) -> Any:
    from typing import get_args

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
