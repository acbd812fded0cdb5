"""`python -m benchmarks [--json] [--quick]`: every performance target, measured in one run.

Each figure is printed beside its target and whether it is met. Ratios compare against a
reference measured in the same run (a bare Textual app, a bare tomli parse), so the targets mean
the same thing on a slow or a fast machine. docs/performance.md holds the latest table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BARE_APP = """
import resource, sys, time
from textual.app import App
from textual.widgets import Footer, Header, Static


class Bare(App):
    def compose(self):
        yield Header()
        yield Static("Hello")
        yield Footer()

    def on_mount(self):
        original = self._display

        def display(screen, renderable):
            original(screen, renderable)
            if renderable is not None and not getattr(self, "_done", False):
                self._done = True
                print(time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
                self.exit()

        self._display = display


Bare().run(headless=True, size=(80, 24))
"""

GAME_APP = """
import resource, sys, time
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

    if renderable is not None and isinstance(app.screen, PlayScreen) and not getattr(app, "_done", False):
        app._done = True
        print(time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
        app.exit()


app._display = display
app.run(headless=True, size=(80, 24))
"""

TITLE_APP = """
import resource, sys, time
sys.path.insert(0, {root!r})
from game.ui.boot import create_title_first_app

app = create_title_first_app({scenes!r}, seed=1, saves_dir={saves!r})  # as `thaw` starts
original = app._display


def display(screen, renderable):
    original(screen, renderable)
    if renderable is not None and not getattr(app, "_done", False):
        app._done = True
        print(time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
        app.exit()


app._display = display
app.run(headless=True, size=(80, 24))
"""


@dataclass
class Row:
    name: str
    value: float
    unit: str
    target: str = ""
    met: bool | None = None
    note: str = ""

    def cells(self) -> list[str]:
        value = f"{self.value:,.2f}" if self.value < 100 else f"{self.value:,.0f}"
        verdict = "" if self.met is None else ("yes" if self.met else "NO")
        return [self.name, f"{value} {self.unit}".strip(), self.target, verdict, self.note]


def _median_ms(fn: Callable[[], object], rounds: int) -> list[float]:
    """Wall times of `rounds` calls; each result is freed outside the timed region."""
    out = []
    for _ in range(rounds):
        began = time.perf_counter()
        result = fn()
        out.append((time.perf_counter() - began) * 1000)
        del result
    return out


def _first_frame(code: str) -> tuple[float, float]:
    """Seconds from spawning `python -c code` to its first frame, and its peak memory in MiB."""
    import subprocess

    began = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    if result.returncode != 0 or not result.stdout.strip():
        raise SystemExit(f"benchmark child failed:\n{result.stderr}")
    when, rss_kib = result.stdout.split()[-2:]
    return float(when) - began, int(rss_kib) / 1024


def startup_and_memory(rounds: int, saves: str) -> list[Row]:
    kw = dict(root=str(ROOT), scenes=str(ROOT / "scenes"), saves=saves)
    children = {"bare": BARE_APP, "title": TITLE_APP.format(**kw), "play": GAME_APP.format(**kw)}
    for code in children.values():  # warm the file cache and the .pyc files
        _first_frame(code)
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in children}
    for _ in range(rounds):  # interleaved, so load on the machine hits all alike
        for name, code in children.items():
            runs[name].append(_first_frame(code))
    secs = {name: statistics.median(t for t, _ in r) for name, r in runs.items()}
    mem = {name: statistics.median(m for _, m in r) for name, r in runs.items()}
    note = f"median of {rounds} process starts each"
    return [
        Row("start-up: bare Textual app (Header, Static, Footer), first frame", secs["bare"] * 1000, "ms"),
        Row("start-up: The Thaw, title screen first frame (as `thaw` starts)", secs["title"] * 1000, "ms"),
        Row("start-up ratio, title (game / bare)", secs["title"] / secs["bare"], "x", "<= 1.15",
            secs["title"] / secs["bare"] <= 1.15, note),
        Row("start-up: The Thaw, first painted play screen", secs["play"] * 1000, "ms"),
        Row("start-up ratio, play screen (game / bare)", secs["play"] / secs["bare"], "x", "<= 1.3",
            secs["play"] / secs["bare"] <= 1.3, note),
        Row("peak memory: bare Textual app", mem["bare"], "MiB"),
        Row("peak memory: The Thaw at its title screen", mem["title"], "MiB"),
        Row("peak memory: The Thaw at its first play screen", mem["play"], "MiB"),
        Row("peak memory ratio, play screen (game / bare)", mem["play"] / mem["bare"], "x", "<= 1.3",
            mem["play"] / mem["bare"] <= 1.3, "max resident set size"),
    ]


def keypress(count: int, saves: str) -> list[Row]:
    from benchmarks.ui_bench import keypresses

    times = sorted(asyncio.run(keypresses(ROOT / "scenes", count, saves)))
    median = statistics.median(times) * 1000
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))] * 1000
    return [
        Row("keypress to next scene painted, median", median, "ms", "<= 16", median <= 16, f"{len(times)} keys, 120x40"),
        Row("keypress to next scene painted, p95", p95, "ms", "<= 33", p95 <= 33),
    ]


def serve_load(levels: tuple[int, ...], keys: int) -> list[Row]:
    """thaw serve under 1, 10 and 25 concurrent websocket sessions (benchmarks/serve_bench.py)."""
    import os

    from benchmarks.serve_bench import measure

    before = os.getloadavg()[0]
    bare, results = measure(levels, keys)
    rows = [Row("serve: bare Textual app served, peak memory of its process", bare, "MiB",
                note=f"load average {before:.2f} before the run")]
    for level in results:
        n, ratio = level.sessions, level.hwm_mib / bare
        last = n == max(levels)
        rows += [
            Row(f"serve, {n} sessions: keypress to frame, median", level.p(0.5), "ms",
                note=f"{len(level.latencies)} keys, 120x40, load {level.load[0]:.2f}"),
            Row(f"serve, {n} sessions: keypress to frame, p95", level.p(0.95), "ms",
                "<= 150" if last else "", (level.p(0.95) <= 150) if last else None),
            Row(f"serve, {n} sessions: memory per game (peak RSS / bare)", ratio, "x", "<= 1.3", ratio <= 1.3,
                f"{level.hwm_mib:.1f} MiB peak, {level.pss_mib:.1f} MiB PSS"),
        ]
    return rows


def story_load(rounds: int) -> list[Row]:
    from game.story.loader import load_story
    from game.tools.check import lint

    load = statistics.median(_median_ms(lambda: load_story(ROOT / "scenes"), rounds))
    story = load_story(ROOT / "scenes")
    check = statistics.median(_median_ms(lambda: lint(story), rounds))
    return [
        Row("shipped story: load and validate", load, "ms", note=f"{len(story.scenes)} scenes"),
        Row("shipped story: graph checks (thaw check)", check, "ms"),
    ]


def synthetic(sizes: tuple[int, int], rounds: int) -> list[Row]:
    import tomli

    from benchmarks.synthetic import write_story
    from game.story.loader import load_story, story_files

    rows, loads = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            folder = write_story(Path(tmp) / f"s{size}", size)
            files = story_files(folder)

            def parse_only() -> None:
                for path in files:
                    tomli.loads(path.read_bytes().decode())

            parse = statistics.median(_median_ms(parse_only, rounds))
            load = statistics.median(_median_ms(lambda: load_story(folder), rounds))
            loads[size] = load
            rows.append(Row(f"synthetic {size:,} scenes: tomli parse alone", parse, "ms"))
            rows.append(Row(f"synthetic {size:,} scenes: load and validate", load, "ms"))
            rows.append(Row(f"synthetic {size:,} scenes: ratio to the parse", load / parse, "x", "<= 2.5", load / parse <= 2.5))
    small, large = sizes
    growth = loads[large] / loads[small]
    rows.append(Row(f"synthetic {large:,} vs {small:,} scenes: load time ratio", growth, "x", f"<= {11 * large // small / 10:g}",
                    growth <= 1.1 * large / small, "linear growth"))
    return rows


def engine_speed(seconds: float) -> list[Row]:
    from game.story.engine import available_choices, choose, new_game
    from game.story.loader import load_story

    story = load_story(ROOT / "scenes")
    rng = random.Random(1)
    moves = 0
    began = time.perf_counter()
    while time.perf_counter() - began < seconds:
        state = new_game(story, seed=rng.randrange(2**31))
        while not story.scenes[state.scene].is_ending:
            state = choose(story, state, rng.choice(available_choices(story, state)).id)
            moves += 1
    rate = moves / (time.perf_counter() - began)
    return [Row("engine: random playthroughs of the shipped story", rate, "choices/s", ">= 50,000", rate >= 50_000)]


def playtests(max_states: int) -> list[Row]:
    from game.story.loader import load_story
    from game.tools.playtest import exhaustive_playtest, random_playtest

    story = load_story(ROOT / "scenes")
    began = time.perf_counter()
    report = random_playtest(story, runs=2000, seed=1)
    random_s = time.perf_counter() - began
    began = time.perf_counter()
    walk = exhaustive_playtest(story, max_states=max_states)
    walk_s = time.perf_counter() - began
    note = f"{walk.states:,} states" + (f", stopped at the {max_states:,}-state limit" if walk.truncated else ", complete")
    return [
        Row("playtest: 2,000 random runs of the shipped story", random_s, "s", note=f"{len(report.reached_scenes)} scenes reached"),
        Row("playtest: exhaustive walk of the shipped story", walk_s, "s", note=note),
    ]


def saves(rounds: int) -> list[Row]:
    from benchmarks.saves_bench import random_play
    from game.saves import SaveStore
    from game.story.loader import load_story

    story = load_story(ROOT / "scenes")
    state = max((random_play(story, seed, 10_000) for seed in range(50)), key=lambda s: s.turn)
    with tempfile.TemporaryDirectory() as tmp:
        store = SaveStore(Path(tmp))
        store.save(1, story, state, label="late game", play_seconds=7200)
        save = statistics.median(_median_ms(lambda: store.save(1, story, state, label="late game", play_seconds=7200), rounds))
        load = statistics.median(_median_ms(lambda: SaveStore(Path(tmp)).load(1, story), rounds))
    note = f"turn {state.turn}, fsync included"
    return [
        Row("save of a late-game state, median", save, "ms", "<= 5", save <= 5, note),
        Row("load of a late-game state, median", load, "ms", "<= 5", load <= 5, "fresh store, validated"),
    ]


def run(quick: bool) -> list[Row]:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as saves_dir:
        rows += startup_and_memory(3 if quick else 9, saves_dir)
        rows += keypress(30 if quick else 150, saves_dir)
    rows += serve_load((1, 10, 25), 3 if quick else 12)
    rows += story_load(5 if quick else 20)
    rows += synthetic((1000, 10_000), 1 if quick else 3)
    rows += engine_speed(1.0 if quick else 3.0)
    rows += playtests(20_000 if quick else 200_000)
    rows += saves(20 if quick else 200)
    tracemalloc.stop()
    return rows


def table(rows: list[Row]) -> str:
    header = ["measure", "value", "target", "met", "note"]
    cells = [header] + [r.cells() for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(header))]
    lines = []
    for n, row in enumerate(cells):
        lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |")
        if n == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def machine() -> str:
    import os

    return f"{platform.python_implementation()} {platform.python_version()} on {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--quick", action="store_true", help="fewer rounds (a smoke run, less precise)")
    args = parser.parse_args(argv)
    rows = run(args.quick)
    missed = [r.name for r in rows if r.met is False]
    if args.json:
        print(json.dumps({"machine": machine(), "results": [asdict(r) for r in rows], "missed": missed}, indent=2))
    else:
        print(f"The Thaw benchmarks: {machine()}\n")
        print(table(rows))
        print(f"\n{len(missed)} target(s) missed" + (": " + "; ".join(missed) if missed else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
