"""What `thaw balance` reads from the story files alone: what each choice gains or costs, and which
flags and stats are set, read, or never shown in a passage."""

from __future__ import annotations

from dataclasses import dataclass

from game.story.story import Story


@dataclass(frozen=True)
class ChoiceEffect:
    """One choice's declared effects, judged by each stat's `good` direction."""

    key: str  # "scene.choice"
    gains: tuple[str, ...]  # "standing +1"
    costs: tuple[str, ...]  # "exposure +2" (exposure is good = "low")
    changes: tuple[str, ...]  # neither gain nor cost: flags set, stats set to a number, good = "neither"
    gamble: bool  # it has branches: where it leads depends on the state or on chance

    @property
    def no_effect(self) -> bool:
        return not (self.gains or self.costs or self.changes)

    @property
    def pure_gain(self) -> bool:
        return bool(self.gains) and not self.costs and not self.gamble

    def describe(self) -> str:
        parts = [*self.gains, *self.costs, *self.changes]
        return f"{self.key} ({', '.join(parts)})" if parts else self.key


def choice_effects(story: Story) -> list[ChoiceEffect]:
    """Every choice of the story, in file order, with what it gains and costs."""
    out = []
    for scene in story.scenes.values():
        for choice in scene.choice:
            gains: list[str] = []
            costs: list[str] = []
            changes: list[str] = []
            for name, delta in choice.add.items():
                if delta == 0:
                    continue
                text = f"{name} {delta:+d}"
                good = story.stats[name].good
                if good == "neither":
                    changes.append(text)
                elif (delta > 0) == (good == "high"):
                    gains.append(text)
                else:
                    costs.append(text)
            for name, value in choice.set_.items():
                shown = str(value).lower() if isinstance(value, bool) else str(value)
                changes.append(f"{name} = {shown}")
            out.append(ChoiceEffect(f"{scene.id}.{choice.id}", tuple(gains), tuple(costs), tuple(changes),
                                    bool(choice.branch)))
    return out


@dataclass(frozen=True)
class Usage:
    flags_set_never_read: tuple[str, ...]
    flags_read_never_set: tuple[str, ...]
    stats_no_passage_reads: tuple[str, ...]


def usage(story: Story) -> Usage:
    read: set[str] = set()
    passage_reads: set[str] = set()
    for key, condition in story.conditions.items():
        read |= condition.names
        if key[0] == "passage":
            passage_reads |= condition.names
    flags_set: set[str] = set()
    for scene in story.scenes.values():
        for choice in scene.choice:
            flags_set |= {name for name in choice.set_ if name in story.flags}
    return Usage(
        flags_set_never_read=tuple(f for f in story.flags if f in flags_set and f not in read),
        flags_read_never_set=tuple(f for f in story.flags if f in read and f not in flags_set),
        stats_no_passage_reads=tuple(s for s in story.stats if s not in passage_reads),
    )
