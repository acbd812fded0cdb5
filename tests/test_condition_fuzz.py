"""Random junk given to the condition parser raises only ConditionError."""

from __future__ import annotations

from fuzzing import fuzz
from hypothesis import given
from hypothesis import strategies as st

from game.story.conditions import ConditionError, compile_condition

TYPES = {"standing": int, "signed": bool}

TOKENS = st.sampled_from(
    ["standing", "signed", "and", "or", "not", "(", ")", "==", "<", ">=", "1", "-", "true", "'x'",
     'visited("a")', "chose(", "chance(5)", ".", "[", "]", "lambda", ":", "__class__", ",", "+", "if", "else"]
)


def _check(source: str) -> None:
    try:
        cond = compile_condition(source, TYPES, allow_chance=True)
    except ConditionError:
        return
    assert isinstance(cond.source, str)


@fuzz(400)
@given(st.text(max_size=80))
def test_any_text(source):
    _check(source)


@fuzz(400)
@given(st.lists(TOKENS, max_size=14).map(" ".join))
def test_token_soup(source):
    _check(source)
