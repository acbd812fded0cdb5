"""Property tests: any state reached by play survives a save and a load; no file crashes the store."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from fuzzing import ROOT as SCRATCH
from fuzzing import fuzz
from hypothesis import given
from hypothesis import strategies as st

from game.saves import SaveError, SaveStore
from game.story import engine
from game.story.loader import load_story
from game.story.state import GameState

ROOT = Path(__file__).resolve().parent.parent
MINI = load_story(ROOT / "tests" / "fixtures" / "mini")
TMP = SCRATCH / "save-props"


def play(story, seed: int, steps: int) -> GameState:
    """A state reached by taking random available choices (seeded), stopping at an ending."""
    rng = random.Random(seed)
    state = engine.new_game(story, seed=seed)
    for _ in range(steps):
        choices = engine.available_choices(story, state)
        if not choices:
            break
        state = engine.choose(story, state, rng.choice(choices).id)
    return state


def _store(name: str) -> SaveStore:
    folder = TMP / name
    folder.mkdir(parents=True, exist_ok=True)
    return SaveStore(folder)


LABELS = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)


@fuzz(150)
@given(seed=st.integers(0, 2**31 - 1), steps=st.integers(0, 12), label=LABELS,
       seconds=st.floats(0, 1e7, allow_nan=False), slot=st.sampled_from(["1", "9", "my save", "x_y-z"]))
def test_round_trip_after_random_play(seed, steps, label, seconds, slot):
    state = play(MINI, seed, steps)
    store = _store("round-trip")
    info = store.save(slot, MINI, state, label=label, play_seconds=seconds)
    loaded = store.load(slot, MINI)
    assert loaded.state == state
    assert loaded.state.model_dump() == state.model_dump()
    assert loaded.notice is None and loaded.changes == ()
    assert loaded.info == info == store.info(slot)
    view = engine.view(MINI, state)
    assert (info.chapter, info.date_text, info.place) == (view.chapter.title, view.date_text, view.place)
    assert info.turn == state.turn and info.play_seconds == pytest.approx(seconds, abs=1e-3)
    # play continues the same from the loaded state
    if engine.available_choices(MINI, state):
        choice = engine.available_choices(MINI, state)[0].id
        assert engine.choose(MINI, loaded.state, choice) == engine.choose(MINI, state, choice)
    # a fresh store (no cache) reads the same
    assert SaveStore(store.folder).load(slot, MINI).state == state


SHIPPED = load_story(ROOT / "scenes")


@fuzz(40)
@given(seed=st.integers(0, 2**31 - 1), steps=st.integers(0, 150))
def test_round_trip_shipped_story(seed, steps):
    state = play(SHIPPED, seed, steps)
    store = _store("shipped")
    store.autosave(SHIPPED, state, play_seconds=steps)
    newest = store.newest()
    assert SaveStore(store.folder).load(newest.name, SHIPPED).state == state


@fuzz(300)
@given(raw=st.binary(max_size=400) | st.text(max_size=200).map(str.encode))
def test_any_bytes_are_listed_never_crash(raw):
    store = _store("bytes")
    (store.folder / "5.json").write_bytes(raw)
    [info] = store.list()
    assert info.damaged is None or isinstance(info.damaged, str) and info.damaged
    try:
        store.load(5, MINI)
    except SaveError:
        pass


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
BASE = json.loads((ROOT / "tests" / "fixtures" / "saves" / "fixture-v1.0.0.json").read_text())


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


PATHS = [p for p in _paths(BASE) if p]


@fuzz(300)
@given(path=st.sampled_from(PATHS), value=JSON, delete=st.booleans())
def test_mutated_saves_load_or_fail_plainly(path, value, delete):
    data = json.loads(json.dumps(BASE))
    target = data
    for key in path[:-1]:
        target = target[key]
    if delete and isinstance(target, dict):
        del target[path[-1]]
    else:
        target[path[-1]] = value
    store = _store("mutated")
    (store.folder / "m.json").write_text(json.dumps(data))
    [info] = store.list()
    try:
        loaded = store.load("m", MINI)
    except SaveError as exc:
        assert str(exc)
        return
    assert info.damaged is None
    state = GameState.model_validate(loaded.state.model_dump())
    assert state.scene in MINI.scenes
    assert set(state.stats) == set(MINI.stats) and set(state.flags) == set(MINI.flags)
    for name, stat in MINI.stats.items():
        assert stat.min <= state.stats[name] <= stat.max
    engine.view(MINI, state)
