"""Time saves and loads of late-game states (target: median <= 5 ms each, fsync included).

    python benchmarks/saves_bench.py [--rounds N] [--folder DIR]

States: the longest of 50 random playthroughs of the shipped story (stopped before its ending),
and 150 and 1000 random choices in a synthetic story (benchmarks/synthetic.py). Each save is a
real one: temporary file, fsync, backup link, os.replace, fsync of the folder. Each load reads the
file from disk through a fresh SaveStore (no cache) and validates it. --folder puts the saves on
another disk (the default is a temporary folder).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import write_story  # noqa: E402
from game.saves import SaveFile, SaveStore, _parse, fit_to_story  # noqa: E402
from game.story import engine  # noqa: E402
from game.story.loader import load_story  # noqa: E402
from game.story.problems import StoryError  # noqa: E402


def random_play(story, seed: int, limit: int):
    """Random choices until `limit` turns or the step before an ending."""
    rng = random.Random(seed)
    state = engine.new_game(story, seed=seed)
    while state.turn < limit:
        choices = engine.available_choices(story, state)
        if not choices:
            break
        following = engine.choose(story, state, rng.choice(choices).id)
        if engine.is_ending(story, following):
            break
        state = following
    return state


def timings(run, rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        out.append((time.perf_counter() - start) * 1000)
    return out


def summary(ms: list[float]) -> str:
    ms = sorted(ms)
    return f"median {statistics.median(ms):6.2f} ms   p90 {ms[int(len(ms) * 0.9)]:6.2f} ms   max {ms[-1]:6.2f} ms"


def bench(name: str, story, state, folder: Path, rounds: int) -> tuple[float, float]:
    store = SaveStore(folder / name)
    store.save(1, story, state, label="late game", play_seconds=7200)
    size = (store.folder / "1.json").stat().st_size
    saves = timings(lambda: store.save(1, story, state, label="late game", play_seconds=7200), rounds)
    autos = timings(lambda: store.autosave(story, state, 7200), rounds)
    loads = timings(lambda: SaveStore(store.folder).load(1, story), rounds)
    assert SaveStore(store.folder).load(1, story).state == state
    raw = (store.folder / "1.json").read_bytes()
    cpu_save = timings(lambda: SaveFile.model_validate_json(store._payload(story, state, "late game", 7200)), rounds)
    cpu_load = timings(lambda: fit_to_story(_parse(raw), story), rounds)
    lists = timings(lambda: SaveStore(store.folder).list(), max(10, rounds // 10))
    print(f"{name}: turn {state.turn}, {len(state.journal)} journal entries, file {size / 1024:.1f} KiB")
    print(f"  save     {summary(saves)}")
    print(f"  autosave {summary(autos)}")
    print(f"  load     {summary(loads)}")
    print(f"  cpu only {summary(cpu_save)}   (save: serialise and validate, no disk)")
    print(f"  cpu only {summary(cpu_load)}   (load: parse, validate, fit to the story, no disk)")
    print(f"  list     {summary(lists)}   ({len(store.list())} slots, cold)")
    return statistics.median(saves), statistics.median(loads)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--folder", type=Path, help="where to write the saves (default: a temporary folder)")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(dir=args.folder) as tmp:
        folder = Path(tmp)
        print(f"saves in {folder}, {args.rounds} rounds each\n")
        try:
            shipped = load_story(ROOT / "scenes")
        except StoryError:
            print("shipped story: does not load, skipped")
        else:
            state = max((random_play(shipped, seed, 10_000) for seed in range(50)), key=lambda s: s.turn)
            results.append(bench("shipped", shipped, state, folder, args.rounds))
        synthetic = load_story(write_story(folder / "synthetic-story", 5000))
        results.append(bench("synthetic-150", synthetic, random_play(synthetic, 1, 150), folder, args.rounds))
        results.append(bench("synthetic-1000", synthetic, random_play(synthetic, 2, 1000), folder, args.rounds))
    late = results[:-1]  # the shipped story and 150 choices; 1000 choices is a stress figure
    worst_save = max(r[0] for r in late)
    worst_load = max(r[1] for r in late)
    verdict = "OK" if worst_save <= 5 and worst_load <= 5 else "SLOWER THAN TARGET"
    print(f"\nlate game (<= 150 choices): median save {worst_save:.2f} ms, load {worst_load:.2f} ms: {verdict} (target 5 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
