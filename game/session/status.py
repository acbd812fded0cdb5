"""The status panel as every front end shows it: the meters, and the people met in this game.

Computed from the story, the state, the codex entries this game has unlocked (a person appears
once the prose has named them) and what the last choice changed (the rows it moved are marked).
"""

from __future__ import annotations

from dataclasses import dataclass

from game.session.change import Change
from game.story.engine import shown_holds
from game.story.state import GameState
from game.story.story import Story


@dataclass(frozen=True)
class Row:
    """One line of the panel: a meter, or a person (with their relationship stat, if any)."""

    label: str
    stat: str | None = None
    value: int = 0
    low: int = 0
    high: int = 0
    #: how much the last choice moved it (0: it did not)
    delta: int = 0
    role: str = ""
    #: a relationship still at its starting minimum, never moved: "not yet met", not hostility
    unmet: bool = False


@dataclass(frozen=True)
class Status:
    meters: tuple[Row, ...]
    people: tuple[Row, ...]


def role_of(story: Story, person_id: str, state: GameState) -> str:
    """The person's role now: the last `roles` entry whose condition holds, else `role`."""
    person = story.people[person_id]
    role = person.role
    for k, later in enumerate(person.roles):
        key = ("role", person_id, k)
        if key in story.shown_conditions and shown_holds(story, state, key):
            role = later.role
    return role


def touched_stats(story: Story, state: GameState) -> set[str]:
    """Stats some choice of this game has set or added to (by the choices as the story has them)."""
    touched: set[str] = set()
    for entry in state.journal:
        scene = story.scenes.get(entry.scene)
        choice = next((c for c in scene.choice if c.id == entry.choice), None) if scene else None
        if choice is not None:
            touched.update(choice.add, choice.set_)
    return touched


def status(story: Story, state: GameState, change: Change, met: set[str]) -> Status:
    """The meters, then the people this game has met (or who have no codex entry) and the
    relationships that belong to no person."""
    touched: set[str] | None = None

    def row(label: str, key: str, role: str = "") -> Row:
        nonlocal touched
        spec = story.stats[key]
        value = state.stats.get(key, spec.start)
        unmet = False
        if spec.kind == "relationship" and spec.start == spec.min and value == spec.start:
            if touched is None:
                touched = touched_stats(story, state)
            unmet = key not in touched
        return Row(label, key, value, spec.min, spec.max, change.delta(key), role, unmet)

    meters = tuple(row(s.label, k) for k, s in story.stats.items() if s.kind == "meter")
    people: list[Row] = []
    claimed = {p.stat for p in story.people.values() if p.stat}
    for pid, person in story.people.items():
        if person.codex and person.codex in story.codex and person.codex not in met:
            continue
        role = role_of(story, pid, state)
        if person.stat in story.stats:
            people.append(row(person.name, person.stat, role))
        else:
            people.append(Row(person.name, role=role))
    for key, spec in story.stats.items():
        if spec.kind == "relationship" and key not in claimed:
            people.append(row(spec.label, key))
    return Status(meters, tuple(people))
