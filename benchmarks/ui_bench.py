"""Time the game's screens: start-up and memory against a bare Textual app, and keypress latency.

    python benchmarks/ui_bench.py [--rounds N] [--keys N]

`keypresses` posts number keys to the play screen of the shipped story (120x40) and times each
until the frame that shows the new scene is composed; `python -m benchmarks` uses it.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


async def keypresses(scenes: Path, count: int, saves: str) -> list[float]:
    from game.session import open_story
    from game.story.engine import new_game, view
    from game.ui.app import create_app

    story = open_story(scenes)
    app = create_app(story, seed=1, saves_dir=saves, start=new_game(story, seed=1))
    rng = random.Random(1)
    times: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        frames: list[tuple[float, int]] = []
        original = app._display

        def display(screen, renderable):
            original(screen, renderable)
            if renderable is not None and app.state is not None:
                frames.append((time.perf_counter(), app.state.turn))

        app._display = display
        while len(times) < count:
            v = view(story, app.state)
            if v.ending is not None or not v.available:
                app.action_new_game()
                await pilot.pause(0.05)
                continue
            number = rng.choice(v.available).number
            turn = app.state.turn
            frames.clear()
            start = time.perf_counter()
            await pilot.press(str(number))
            deadline = time.perf_counter() + 1
            while not any(t > turn for _, t in frames) and time.perf_counter() < deadline:
                await asyncio.sleep(0.0005)
            painted = next((when for when, t in frames if t > turn), None)
            if painted is not None and view(story, app.state).ending is None:
                times.append(painted - start)
            await pilot.pause(0.15)  # a fast reader: the screen is idle again before the next key
    return times


def main() -> int:
    """The screen figures alone (start-up, memory, keypress), as `python -m benchmarks` reports them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="process starts of each kind (default 5)")
    parser.add_argument("--keys", type=int, default=100, help="keypresses to time (default 100)")
    args = parser.parse_args()
    import tempfile

    from benchmarks.__main__ import keypress, startup_and_memory, table

    with tempfile.TemporaryDirectory() as saves:
        rows = startup_and_memory(args.rounds, saves) + keypress(args.keys, saves)
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
