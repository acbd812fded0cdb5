"""A witness path as a recording `thaw replay` plays: the choice ids, and a seed under which every
chance() falls the way the path needs (or, failing that, the outcomes themselves)."""

from __future__ import annotations

import random
from collections.abc import Iterable

from game.story.engine import choose, start_at
from game.story.story import Story
from game.tools.playtest.report import Step
from game.tools.transcript import Recording

SEED_TRIES = 20_000


def _draws(story: Story, steps: Iterable[Step]) -> list[tuple[int, bool]]:
    """(percent, outcome) of every chance() the path meets, in order."""
    state = start_at(story, story.info.start)
    draws: list[tuple[int, bool]] = []
    for step in steps:
        answers = iter(step.chance)

        def decide(percent: int) -> bool:
            answer = next(answers)
            draws.append((percent, answer))
            return answer

        state = choose(story, state, step.choice, chance=decide)
    return draws


def seed_for(draws: list[tuple[int, bool]], tries: int = SEED_TRIES) -> int | None:
    """The smallest seed under which the game's own generator gives these outcomes (engine._Ctx.chance)."""
    for seed in range(tries):
        if all((random.Random(seed * 1_000_003 + i).randrange(100) < percent) == answer
               for i, (percent, answer) in enumerate(draws)):
            return seed
    return None


def recording(story: Story, steps: tuple[Step, ...]) -> Recording:
    """The recording of a witness path, ready for `thaw replay`."""
    draws = _draws(story, steps)
    seed = seed_for(draws)
    return Recording(
        story=story.info.id,
        seed=seed if seed is not None else 0,
        choices=[step.choice for step in steps],
        story_version=story.info.version,
        chance=[answer for _p, answer in draws] if seed is None else [],
    )
