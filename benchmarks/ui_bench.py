"""Time the game's screens (targets of the UI issue):

* first painted play screen, from process start, within 1.3x of a bare Textual app's first frame
  measured in the same run (each a fresh `python` process, headless, 80x24);
* keypress to the next scene painted: median within 16 ms (in process, the shipped story, a key
  posted and the time until the frame that shows the new scene is composed).

    python benchmarks/ui_bench.py [--rounds N] [--keys N] [--scenes DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BARE = """
import sys, time
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("Hello")

    def on_mount(self):
        original = self._display

        def display(screen, renderable):
            original(screen, renderable)
            if renderable is not None and not getattr(self, "_done", False):
                self._done = True
                print(time.perf_counter(), flush=True)
                self.exit()

        self._display = display

Bare().run(headless=True, size=(80, 24))
"""

GAME = """
import sys, time
sys.path.insert(0, {root!r})
from game.session import open_story
from game.story.engine import new_game
from game.ui.app import create_app

story = open_story({scenes!r})
app = create_app(story, seed=1, saves_dir={saves!r}, start=new_game(story, seed=1))
original = app._display

def display(screen, renderable):
    original(screen, renderable)
    from game.ui.screens.play import PlayScreen

    if renderable is not None and isinstance(app.screen, PlayScreen) and app.screen.query("Prose"):
        if not getattr(app, "_done", False):
            app._done = True
            print(time.perf_counter(), flush=True)
            app.exit()

app._display = display
app.run(headless=True, size=(80, 24))
"""


def first_frame(code: str) -> float:
    """Seconds from spawning `python -c code` to the frame it reports (perf_counter is system-wide
    monotonic on Linux, so the child's clock reading compares with ours)."""
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    if result.returncode != 0 or not result.stdout.strip():
        raise SystemExit(f"benchmark child failed:\n{result.stderr}")
    return float(result.stdout.strip().splitlines()[-1]) - start


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
            await pilot.pause(0.02)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="process starts of each kind (default 5)")
    parser.add_argument("--keys", type=int, default=100, help="keypresses to time (default 100)")
    parser.add_argument("--scenes", default=str(ROOT / "scenes"), help="story folder (default: the shipped story)")
    args = parser.parse_args()
    import tempfile

    with tempfile.TemporaryDirectory() as saves:
        game_code = GAME.format(root=str(ROOT), scenes=args.scenes, saves=saves)
        first_frame(BARE)  # warm the file cache
        first_frame(game_code)
        bare = [first_frame(BARE) for _ in range(args.rounds)]
        game = [first_frame(game_code) for _ in range(args.rounds)]
        keys = asyncio.run(keypresses(Path(args.scenes), args.keys, saves))
    b, g = statistics.median(bare), statistics.median(game)
    k = statistics.median(keys)
    print(f"{'measure':<44} {'median':>10} {'target':>12}")
    print(f"{'bare Textual app, first frame':<44} {b * 1000:>8.0f} ms {'':>12}")
    print(f"{'The Thaw, first painted play screen':<44} {g * 1000:>8.0f} ms {'<= 1.3x bare':>12}")
    print(f"{'  ratio':<44} {g / b:>10.2f} {'<= 1.30':>12}")
    print(f"{'keypress to next scene painted':<44} {k * 1000:>8.1f} ms {'<= 16 ms':>12}")
    print(f"{'  (90th percentile, of ' + str(len(keys)) + ')':<44} {sorted(keys)[int(len(keys) * 0.9)] * 1000:>8.1f} ms")
    return 0 if g / b <= 1.3 and k <= 0.016 else 1


if __name__ == "__main__":
    raise SystemExit(main())
