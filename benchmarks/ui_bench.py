"""Time the game's screens: start-up and memory against a bare Textual app, and keypress latency.

    python benchmarks/ui_bench.py [--rounds N] [--keys N] [--phases]

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
    from game.ui.screens.play import PlayScreen

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
            if not isinstance(app.screen, PlayScreen):  # a chapter's card: close it and go on
                await pilot.press("escape")
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


PHASES = """
import resource, sys, time
began = time.perf_counter()
def mark(name, marks=[]):
    marks.append((name, time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
    return marks
sys.path.insert(0, {root!r})
import textual.app
mark("import textual.app")
from game.story.loader import load_story
mark("import the story stack (pydantic, models, loader)")
story = load_story({scenes!r})
mark("load and validate the story")
from game.story.engine import new_game
from game.ui.app import create_app
import game.ui.screens.play
mark("import the game's UI modules")
app = create_app(story, seed=1, saves_dir={saves!r}, start=new_game(story, seed=1))
original = app._display
def display(screen, renderable):
    original(screen, renderable)
    if renderable is not None and type(app.screen).__name__ == "PlayScreen" and not getattr(app, "_done", 0):
        app._done = 1
        mark("start the app, compose and paint the play screen")
        app.exit()
app._display = display
app.run(headless=True, size=(80, 24))
last, rss = began, 0.0
for name, when, peak in mark("end")[:-1]:
    print(f"{{(when - last) * 1000:6.1f}} ms  {{peak - rss:+5.1f}} MiB  {{name}}")
    last, rss = when, peak
"""


BARE_PHASES = PHASES[:PHASES.index("from game.story.loader")] + """
from textual.widgets import Footer, Header, Static
class Bare(textual.app.App):
    def compose(self):
        yield Header()
        yield Static("Hello")
        yield Footer()
app = Bare()
original = app._display
def display(screen, renderable):
    original(screen, renderable)
    if renderable is not None and not getattr(app, "_done", 0):
        app._done = 1
        mark("start the bare app and paint it")
        app.exit()
app._display = display
app.run(headless=True, size=(80, 24))
""" + PHASES[PHASES.index("last, rss = began"):]


def phases(saves: str) -> str:
    """Where a start to the first play screen spends its time and memory, phase by phase, beside
    the bare Textual app's."""
    import subprocess

    out = []
    for name, code in (("bare Textual app", BARE_PHASES), ("The Thaw, to its first play screen", PHASES)):
        code = code.format(root=str(ROOT), scenes=str(ROOT / "scenes"), saves=saves)
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
        out.append(f"{name}:\n{run.stdout}")
    return "\n".join(out)


def main() -> int:
    """The screen figures alone (start-up, memory, keypress), as `python -m benchmarks` reports them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="process starts of each kind (default 5)")
    parser.add_argument("--keys", type=int, default=100, help="keypresses to time (default 100)")
    parser.add_argument("--phases", action="store_true", help="only the phases of a start to the play screen")
    args = parser.parse_args()
    import tempfile

    if args.phases:
        with tempfile.TemporaryDirectory() as saves:
            print(phases(saves))
        return 0

    from benchmarks.__main__ import keypress, startup_and_memory, table

    with tempfile.TemporaryDirectory() as saves:
        rows = startup_and_memory(args.rounds, saves) + keypress(args.keys, saves)
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
