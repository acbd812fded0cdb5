"""The balance report: the spread of every stat at each chapter's end, choices, flags, endings, limits."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from game.story.model import BalanceLimits
from game.tools.balance.effects import ChoiceEffect, Usage

#: the share of runs at a bound that the text marks when [balance] declares no max_at_bound
SUGGESTED_AT_BOUND = 20


@dataclass(frozen=True)
class Spread:
    """One stat at one chapter's end, over every run that left the chapter."""

    stat: str
    low: int  # the stat's declared min
    high: int  # and max
    counts: tuple[int, ...]  # runs at each value low..high

    @property
    def n(self) -> int:
        return sum(self.counts)

    def percentile(self, q: float) -> int:
        """Nearest rank: the smallest value with at least q of the runs at or below it."""
        rank, seen = max(1, math.ceil(q * self.n)), 0
        for offset, count in enumerate(self.counts):
            seen += count
            if seen >= rank:
                return self.low + offset
        return self.high

    @property
    def median(self) -> int:
        return self.percentile(0.5)

    @property
    def at_min(self) -> float:
        return 100.0 * self.counts[0] / self.n if self.n else 0.0

    @property
    def at_max(self) -> float:
        return 100.0 * self.counts[-1] / self.n if self.n else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "stat": self.stat, "min": self.low, "max": self.high, "runs": self.n,
            "p10": self.percentile(0.1), "median": self.median, "p90": self.percentile(0.9),
            "at_min_percent": round(self.at_min, 1), "at_max_percent": round(self.at_max, 1),
            "counts": list(self.counts),
        }


@dataclass
class ChapterEnd:
    chapter: str
    number: int
    title: str
    spreads: list[Spread]

    @property
    def runs(self) -> int:
        return self.spreads[0].n if self.spreads else 0


@dataclass(frozen=True)
class Crossing:
    """A declared limit the story crosses."""

    limit: str
    message: str


@dataclass
class BalanceReport:
    story_id: str
    title: str
    version: str
    runs: int
    seed: int
    chapters: list[ChapterEnd]
    choices: list[ChoiceEffect]
    usage: Usage
    endings: dict[str, tuple[str, int]]  # id -> (title, runs)
    dead_end_runs: int
    unfinished_runs: int
    trapped_runs: int
    limits: BalanceLimits
    seconds: float = 0.0
    crossings: list[Crossing] = field(default_factory=list)

    @property
    def pure_gain(self) -> list[ChoiceEffect]:
        return [c for c in self.choices if c.pure_gain]

    @property
    def no_effect(self) -> list[ChoiceEffect]:
        return [c for c in self.choices if c.no_effect]

    def share(self, part: int) -> float:
        return 100.0 * part / len(self.choices) if self.choices else 0.0

    @property
    def declared_limits(self) -> list[str]:
        data = self.limits.model_dump(exclude_defaults=True)
        data.pop("ignore", None)
        return sorted(data)

    def check_limits(self) -> list[Crossing]:
        """Every declared limit the story crosses (what --strict fails on)."""
        limits, out = self.limits, []
        for end in self.chapters:
            for spread in end.spreads:
                if spread.stat in limits.ignore or not spread.n:
                    continue
                if limits.max_at_bound is not None:
                    for where, share, bound in (("min", spread.at_min, spread.low), ("max", spread.at_max, spread.high)):
                        if share > limits.max_at_bound:
                            out.append(Crossing("max_at_bound", f"at the end of chapter {end.number} ({end.chapter}), "
                                                f"{share:.1f}% of runs have {spread.stat} at its {where} ({bound}); "
                                                f"the limit is {limits.max_at_bound}%"))
                if limits.median_inside and spread.median in (spread.low, spread.high):
                    out.append(Crossing("median_inside", f"at the end of chapter {end.number} ({end.chapter}), the median "
                                        f"of {spread.stat} is {spread.median}, at a bound of {spread.low}..{spread.high}"))
        for name, part, limit in (("max_pure_gain", len(self.pure_gain), limits.max_pure_gain),
                                  ("max_no_effect", len(self.no_effect), limits.max_no_effect)):
            if limit is not None and self.share(part) > limit:
                what = "only gain" if name == "max_pure_gain" else "change nothing"
                out.append(Crossing(name, f"{part} of {len(self.choices)} choices ({self.share(part):.1f}%) {what}; "
                                    f"the limit is {limit}%"))
        if limits.min_ending is not None:
            for ending, (_title, count) in self.endings.items():
                share = 100.0 * count / self.runs if self.runs else 0.0
                if share < limits.min_ending:
                    out.append(Crossing("min_ending", f"ending {ending} is reached by {share:.1f}% of runs; "
                                        f"the limit is at least {limits.min_ending}%"))
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "story": {"id": self.story_id, "title": self.title, "version": self.version},
            "runs": self.runs,
            "seed": self.seed,
            "seconds": round(self.seconds, 3),
            "chapters": [
                {"chapter": c.chapter, "number": c.number, "title": c.title, "runs": c.runs,
                 "stats": [s.to_dict() for s in c.spreads]}
                for c in self.chapters
            ],
            "choices": {
                "total": len(self.choices),
                "pure_gain": [{"choice": c.key, "gains": list(c.gains), "changes": list(c.changes)} for c in self.pure_gain],
                "no_effect": [c.key for c in self.no_effect],
            },
            "flags_set_never_read": list(self.usage.flags_set_never_read),
            "flags_read_never_set": list(self.usage.flags_read_never_set),
            "stats_no_passage_reads": list(self.usage.stats_no_passage_reads),
            "endings": [
                {"id": e, "title": t, "runs": n, "percent": round(100.0 * n / self.runs, 1) if self.runs else 0.0}
                for e, (t, n) in self.endings.items()
            ],
            "dead_end_runs": self.dead_end_runs,
            "unfinished_runs": self.unfinished_runs,
            "trapped_runs": self.trapped_runs,
            "limits": self.limits.model_dump(exclude_defaults=True),
            "crossings": [{"limit": c.limit, "message": c.message} for c in self.crossings],
        }

    def json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)
