"""The engine: pure, deterministic transitions over an immutable GameState."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from game.story.engine import (
    ChoiceError,
    available_choices,
    choose,
    format_date,
    new_game,
    start_at,
    view,
)
from game.story.state import GameState


def test_new_game_starts_at_start_with_declared_values(mini):
    state = new_game(mini, seed=7)
    assert state.scene == "start"
    assert state.stats == {"nerve": 2, "trust": 1}
    assert state.flags == {"has_key": False, "warned": False}
    assert state.visits == {"start": 1}
    assert state.turn == 0 and state.journal == ()
    assert state.seed == 7


def test_view_has_header_prose_and_numbered_choices(mini):
    v = view(mini, new_game(mini, seed=1))
    assert v.header == "Chapter 1: The Key | 5 March 1953 | A corridor near the Kremlin"
    assert "long corridor" in v.text
    assert [(c.number, c.id, c.available) for c in v.choices] == [(1, "take_key", True), (2, "wait", True), (3, "peek", True)]
    assert v.ending is None and not v.is_dead_end


def test_choose_applies_effects_and_leaves_old_state_untouched(mini):
    s0 = new_game(mini, seed=1)
    before = s0.model_dump()
    s1 = choose(mini, s0, "take_key")
    assert s0.model_dump() == before
    assert s1.scene == "hall"
    assert s1.flags["has_key"] is True
    assert s1.stats["nerve"] == 3
    assert s1.turn == 1
    assert s1.last_result == "The key is heavier than it looks."
    entry = s1.journal[-1]
    assert (entry.date, entry.scene, entry.choice, entry.goto) == (dt.date(1953, 3, 5), "start", "take_key", "hall")
    assert s1.visits["hall"] == 1 and s1.taken == {"start.take_key": 1}


def test_passages_follow_their_conditions(mini):
    s = choose(mini, new_game(mini, seed=1), "wait")
    assert "cold in your pocket" not in view(mini, s).text
    s = choose(mini, new_game(mini, seed=1), "take_key")
    assert "cold in your pocket" in view(mini, s).text


def test_locked_choice_is_shown_with_reason_and_cannot_be_taken(mini):
    s = choose(mini, new_game(mini, seed=1), "wait")  # no key
    v = view(mini, s)
    door = next(c for c in v.choices if c.id == "open_door")
    assert not door.available and door.locked_reason == "You have no key."
    with pytest.raises(ChoiceError, match="locked"):
        choose(mini, s, "open_door")


def test_hidden_choice_without_locked_reason_is_not_listed(mini):
    s = choose(mini, new_game(mini, seed=1), "take_key")  # trust stays 1
    assert "talk" not in [c.id for c in view(mini, s).choices]
    s = choose(mini, new_game(mini, seed=1), "wait")  # trust 2
    assert "talk" in [c.id for c in view(mini, s).choices]


def test_once_choice_disappears_after_use(mini):
    s = choose(mini, new_game(mini, seed=1), "peek")
    assert s.scene == "start"
    assert "peek" not in [c.id for c in view(mini, s).choices]
    with pytest.raises(ChoiceError, match="only once"):
        choose(mini, s, "peek")


def test_effects_are_clamped(mini):
    s = choose(mini, new_game(mini, seed=1), "take_key")
    s = choose(mini, s, "leave")  # nerve -9
    assert s.stats["nerve"] == 0
    assert view(mini, s).ending.title == "A Quiet Life"


def test_unknown_choice(mini):
    with pytest.raises(ChoiceError, match="no choice 'fly'"):
        choose(mini, new_game(mini, seed=1), "fly")


def test_branches_are_seeded_and_deterministic(mini):
    def play(seed: int) -> tuple[str, int]:
        s = start_at(mini, "ally_scene", seed=seed)
        s = choose(mini, s, "gamble")
        return s.scene, s.draws

    outcomes = {play(seed) for seed in range(40)}
    assert {scene for scene, _ in outcomes} == {"vault", "end_caught"}
    assert all(draws == 1 for _, draws in outcomes)
    assert play(5) == play(5)


def test_branch_result_overrides_choice_result(mini):
    for seed in range(50):
        s = choose(mini, start_at(mini, "ally_scene", seed=seed), "gamble")
        if s.scene == "end_caught":
            assert s.last_result == "A guard stops you at the stairs."
            return
    raise AssertionError("no seed took the branch")


def test_chose_and_visits_functions(mini):
    s = start_at(mini, "vault", seed=1)
    assert not view(mini, s).choices[0].available
    s = choose(mini, choose(mini, new_game(mini, seed=1), "take_key"), "open_door")
    assert s.scene == "vault" and view(mini, s).choices[0].available


def test_start_at_with_preset_and_errors(mini):
    s = start_at(mini, "hall", preset={"has_key": True, "nerve": 99})
    assert s.flags["has_key"] and s.stats["nerve"] == 5
    with pytest.raises(ChoiceError, match="unknown scene"):
        start_at(mini, "nowhere")
    with pytest.raises(ChoiceError, match="cannot set 'nerve'"):
        start_at(mini, "hall", preset={"nerve": True})
    with pytest.raises(ChoiceError, match="cannot set 'ghost'"):
        start_at(mini, "hall", preset={"ghost": 1})


def test_format_date():
    d = dt.date(1953, 3, 9)
    assert format_date(d) == "9 March 1953"
    assert format_date(d, "month") == "March 1953"
    assert format_date(d, "year") == "1953"


def test_random_play_is_deterministic_and_always_reaches_an_ending(mini):
    def run(seed: int) -> GameState:
        rng = random.Random(seed)
        state = new_game(mini, seed=seed)
        for _ in range(100):
            if mini.scenes[state.scene].is_ending:
                return state
            options = available_choices(mini, state)
            assert options, f"dead end at {state.scene}"
            state = choose(mini, state, rng.choice(options).id)
        raise AssertionError("no ending within 100 turns")

    endings = set()
    for seed in range(200):
        a, b = run(seed), run(seed)
        assert a.model_dump() == b.model_dump()
        endings.add(a.scene)
    assert endings == set(mini.endings)


def test_state_round_trips_through_json(mini):
    s = choose(mini, choose(mini, new_game(mini, seed=3), "take_key"), "open_door")
    again = GameState.model_validate_json(s.model_dump_json())
    assert again == s
