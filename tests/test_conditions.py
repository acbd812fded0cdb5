"""The condition language: what it accepts, what it refuses and how it evaluates."""

from __future__ import annotations

import pytest

from game.story.conditions import ConditionError, compile_condition

TYPES = {"standing": int, "fear": int, "signed": bool, "warned": bool}


class Ctx:
    def __init__(self, **values):
        self.values = {"standing": 3, "fear": 0, "signed": False, "warned": True, **values}
        self.visited_scenes = {"a": 2}
        self.taken = {"a.x"}
        self.draws = 0

    def value(self, name):
        return self.values[name]

    def visits(self, scene_id):
        return self.visited_scenes.get(scene_id, 0)

    def chose(self, key):
        return key in self.taken

    def chance(self, percent):
        self.draws += 1
        return percent >= 50


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("standing >= 3", True),
        ("standing > 3", False),
        ("2 <= standing <= 5", True),
        ("2 <= standing < 3", False),
        ("not signed", True),
        ("signed or warned", True),
        ("signed and warned", False),
        ("(standing == 3) and not (fear != 0)", True),
        ("warned == true", True),
        ("signed == False", True),
        ("standing > -1", True),
        ('visited("a")', True),
        ('visited("b")', False),
        ('visits("a") >= 2', True),
        ('chose("a.x") and not chose("a.y")', True),
        ('"x" == "x"', True),
        ("true", True),
    ],
)
def test_evaluates(source, expected):
    assert compile_condition(source, TYPES)(Ctx()) is expected


def test_records_what_it_reads():
    cond = compile_condition('standing > 1 and visited("a") or chose("b.c")', TYPES)
    assert cond.names == {"standing"}
    assert cond.scenes == {"a"}
    assert cond.choices == {"b.c"}
    assert not cond.uses_chance


def test_chance_only_where_allowed_and_draws():
    with pytest.raises(ConditionError, match="only in a choice's branch"):
        compile_condition("chance(30)", TYPES)
    cond = compile_condition("chance(70) and standing > 0", TYPES, allow_chance=True)
    ctx = Ctx()
    assert cond(ctx) is True and ctx.draws == 1
    assert cond.uses_chance


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("standin >= 3", "unknown name 'standin'.*did you mean 'standing'"),
        ("__import__('os')", "not allowed"),
        ("standing.real > 1", "attributes"),
        ("flags['x']", "indexing"),
        ("(lambda: 1)()", "not allowed"),
        ("[x for x in y]", "comprehensions"),
        ("standing + 1 > 2", "arithmetic"),
        ("open('f')", "the function 'open' is not allowed"),
        ("visited(standing)", "takes a quoted id"),
        ('visited("a", "b")', "exactly one value"),
        ('chose("nodot")', "scene_id.choice_id"),
        ("chance(101)", "0 to 100"),
        ("standing", "is a number, not true/false"),
        ("standing and signed", "'and' needs true/false"),
        ("signed > 1", "cannot compare"),
        ("signed < warned", "compares numbers"),
        ("standing in fear", "'in' is not allowed"),
        ("standing >=", "cannot read the condition"),
        ("", "empty"),
        ("_x", "cannot start with '_'"),
        ("1.5 > standing", "not allowed"),
        ("x if signed else y", "'x if y else z'"),
        ("a\nb", "one line"),
        ("standing > 1" + " and standing > 1" * 400, "longer than"),
        ("not " * 60 + "signed", "nested more than"),
    ],
)
def test_refuses(source, message):
    with pytest.raises(ConditionError, match=message):
        compile_condition(source, TYPES, allow_chance="chance(101)" == source)
