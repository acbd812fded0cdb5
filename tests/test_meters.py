"""The meter economy of docs/story-bible.md, section 4, held by 2,000 seeded random runs.

Until the toolkit's `thaw balance` lands, this test is the story's balance report: at the end of
every chapter each meter's median lies strictly inside its range and sits at neither bound in more
than 20% of runs; relationships do not saturate at the top; at most 10% of choices only gain; every
chapter has passages that read conscience, standing and exposure (two each) and family; and the
camp and steppe strands are each entered by a fair share of random play. Consistent players are held
too (`STRATEGIES`: always the first choice, always the safest, always the most conscience-raising):
no meter at a bound when chapters 1 and 2 end, and the camp does not pin exposure at the top.

Run it as a script to print the figures: python tests/test_meters.py [RUNS]
"""

from __future__ import annotations

import random
import statistics
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from game.story.engine import available_choices, choose, new_game
from game.story.loader import load_story
from game.story.story import Story

RUNS = 2000
SEED = 1953
METERS = ("standing", "conscience", "exposure", "family")
RELATIONSHIPS = ("lapin", "velichko", "mikoyan", "brandt")
#: a choice "only gains" when every stat it changes moves in the player's favour (less exposure is good)
GOOD_SIGN = {"exposure": -1}
STRAND_ENTRY = {"camp": "c3_camp_arrest", "steppe": "c4_steppe_arrival"}


@dataclass
class Figures:
    runs: int
    at_end: dict[str, dict[str, list[int]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    endings: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    visited: list[set[str]] = field(default_factory=list)

    def share(self, scene: str) -> float:
        return sum(scene in v for v in self.visited) / self.runs

    def overlap(self) -> float:
        """Mean share of scenes two random runs have in common (shared / the shorter run)."""
        pairs = zip(self.visited[0::2], self.visited[1::2])
        return statistics.mean(len(a & b) / min(len(a), len(b)) for a, b in pairs)


def simulate(story: Story, runs: int = RUNS, seed: int = SEED) -> Figures:
    """Uniformly random play; records every stat at each chapter's end (the state carried out of it)."""
    figures = Figures(runs)
    for i in range(runs):
        rng = random.Random(seed + i)
        state = new_game(story, seed=seed + i)
        seen = {state.scene}
        while not story.scenes[state.scene].is_ending:
            scene = story.scenes[state.scene]
            following = choose(story, state, rng.choice(available_choices(story, state)).id)
            nxt = story.scenes[following.scene]
            if nxt.chapter != scene.chapter or nxt.is_ending:
                for name, value in following.stats.items():
                    figures.at_end[scene.chapter][name].append(value)
            state = following
            seen.add(state.scene)
        figures.endings[state.scene] += 1
        figures.visited.append(seen)
    return figures


def _strategy_key(name: str):
    """How a consistent player ranks the available choices (max() keeps the first of equals)."""
    if name == "first":
        return lambda c: 0
    if name == "safest":
        return lambda c: -c.add.get("exposure", 0)
    meter = name.removeprefix("most_")
    return lambda c: c.add.get(meter, 0)


STRATEGIES = ("first", "safest", "most_conscience", "most_standing", "most_family")


def play_consistently(story: Story, name: str, seed: int = SEED) -> tuple[dict[str, dict[str, int]], list[str]]:
    """One deterministic run of a strategy: the stats carried out of each chapter, and the scenes visited."""
    key, state, ends, path = _strategy_key(name), new_game(story, seed=seed), {}, []
    while not story.scenes[state.scene].is_ending:
        scene = story.scenes[state.scene]
        path.append(scene.id)
        following = choose(story, state, max(available_choices(story, state), key=key).id)
        nxt = story.scenes[following.scene]
        if nxt.chapter != scene.chapter or nxt.is_ending:
            ends[scene.chapter] = dict(following.stats)
        state = following
    return ends, path


def pure_gains(story: Story) -> list[str]:
    return [
        f"{scene.id}.{choice.id}"
        for scene in story.scenes.values() for choice in scene.choice
        if choice.add and all(GOOD_SIGN.get(k, 1) * v > 0 for k, v in choice.add.items())
    ]


def passages_reading(story: Story, chapter: str, name: str) -> list[str]:
    return [
        f"{key[1]}#{key[2]}" for key, condition in story.conditions.items()
        if key[0] == "passage" and story.scenes[key[1]].chapter == chapter and name in condition.names
    ]


@pytest.fixture(scope="module")
def figures(shipped) -> Figures:
    return simulate(shipped)


def test_every_meter_stays_alive_at_every_chapter_end(shipped, figures):
    for chapter in shipped.chapters:
        for name in METERS:
            stat, values = shipped.stats[name], sorted(figures.at_end[chapter][name])
            entered = sum(any(shipped.scenes[s].chapter == chapter for s in seen) for seen in figures.visited)
            assert len(values) >= 0.9 * entered, (chapter, name)  # runs that reached this chapter's end
            median = statistics.median(values)
            assert stat.min < median < stat.max, (chapter, name, median)
            for bound in (stat.min, stat.max):
                share = values.count(bound) / len(values)
                assert share <= 0.20, (chapter, name, bound, share)


def test_relationships_do_not_saturate_at_the_top(shipped, figures):
    for chapter in shipped.chapters:
        for name in RELATIONSHIPS:
            values = figures.at_end[chapter][name]
            assert values.count(shipped.stats[name].max) / len(values) <= 0.20, (chapter, name)


def test_at_most_a_tenth_of_choices_only_gain(shipped):
    total = sum(len(s.choice) for s in shipped.scenes.values())
    assert len(pure_gains(shipped)) <= 0.10 * total, pure_gains(shipped)


def test_every_chapter_reads_the_meters_in_prose(shipped):
    for chapter in shipped.chapters:
        for name in ("conscience", "standing", "exposure"):
            assert len(passages_reading(shipped, chapter, name)) >= 2, (chapter, name)
        family = passages_reading(shipped, chapter, "family")
        assert family, chapter
        texts = [p.text for s in shipped.scenes.values() if s.chapter == chapter
                 for p in s.passage if "family" in shipped.conditions[("passage", s.id, s.passage.index(p))].names]
        assert any("Tanya" in t or "mother" in t for t in texts), chapter


def test_the_strands_take_a_fair_share_and_no_one_ends_the_game_early(shipped, figures):
    for strand, scene in STRAND_ENTRY.items():
        assert 0.12 <= figures.share(scene) <= 0.20, (strand, figures.share(scene))
    for ending, count in figures.endings.items():  # a final ending: dated 1956 or later, and no default
        if shipped.scenes[ending].ending.kind == "final":
            assert shipped.scenes[ending].date.year >= 1956 and 0.01 <= count / figures.runs <= 0.30, (ending, count)


#: Two random playthroughs share on average at most this share of their scenes (shared / the shorter
#: run), as issue 14 asks. Alternative scenes ("siblings": the same beat, the same choices, staged
#: another way) on the trunk of every chapter brought it from 0.73 to about 0.50.
OVERLAP_CEILING = 0.60


def test_two_random_runs_do_not_share_too_many_scenes(figures):
    assert figures.overlap() <= OVERLAP_CEILING, figures.overlap()


@pytest.mark.parametrize("name", ("first", "most_conscience"))
def test_consistent_players_reach_no_bound_in_1953s_first_two_chapters(shipped, name):
    ends, _ = play_consistently(shipped, name)
    for chapter in ("march-1953", "spring-1953"):
        for meter in METERS:
            stat = shipped.stats[meter]
            assert stat.min < ends[chapter][meter] < stat.max, (name, chapter, meter, ends[chapter][meter])


def test_the_safest_player_is_not_invisible_when_march_ends(shipped):
    ends, _ = play_consistently(shipped, "safest")
    for meter in METERS:
        stat = shipped.stats[meter]
        assert stat.min < ends["march-1953"][meter] < stat.max, (meter, ends["march-1953"][meter])


def test_the_camp_does_not_pin_exposure_at_the_top(shipped, figures):
    camp = [i for i, seen in enumerate(figures.visited) if STRAND_ENTRY["camp"] in seen]
    exposure = sorted(figures.at_end["year-1954"]["exposure"][i] for i in camp)
    assert statistics.median(exposure) <= 15, statistics.median(exposure)
    assert sum(v >= 19 for v in exposure) / len(exposure) <= 0.10
    ends, path = play_consistently(shipped, "most_conscience")
    assert STRAND_ENTRY["camp"] in path and ends["year-1954"]["exposure"] <= 16, ends["year-1954"]


if __name__ == "__main__":
    story = load_story(Path(__file__).resolve().parent.parent / "scenes")
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else RUNS
    f = simulate(story, runs)
    for chapter in story.chapters:
        print(f"end of {chapter}:")
        for name in METERS + RELATIONSHIPS:
            stat, v = story.stats[name], sorted(f.at_end[chapter][name])
            n = len(v)
            print(f"  {name:10s} p10 {v[n // 10]:2d} med {statistics.median(v):4.1f} p90 {v[9 * n // 10]:2d}"
                  f"  at min {v.count(stat.min) / n:5.1%}  at max {v.count(stat.max) / n:5.1%}")
    print("strands:", {k: f"{f.share(s):.1%}" for k, s in STRAND_ENTRY.items()})
    print("endings:", dict(f.endings), f"overlap {f.overlap():.1%}")
    total = sum(len(s.choice) for s in story.scenes.values())
    print(f"pure gains {len(pure_gains(story))} of {total}:", pure_gains(story))
    print("consistent players (stats carried out of each chapter):")
    for name in STRATEGIES:
        ends, path = play_consistently(story, name)
        strand = next((k for k, v in STRAND_ENTRY.items() if v in path), "moscow")
        print(f"  {name:16s} {strand:6s} " + "  ".join(
            f"{ch}: " + " ".join(f"{m[:4]} {v[m]:2d}" for m in METERS) for ch, v in ends.items()))
    camp = [i for i, seen in enumerate(f.visited) if STRAND_ENTRY["camp"] in seen]
    exp = sorted(f.at_end["year-1954"]["exposure"][i] for i in camp)
    print(f"camp runs: {len(camp)}, exposure at the end of 1954 median {statistics.median(exp)}, "
          f">= 19 in {sum(v >= 19 for v in exp) / len(exp):.1%}, at 20 in {exp.count(20) / len(exp):.1%}")
