"""Crash safety: a process saving in a loop is killed with SIGKILL at random moments; every slot
file left behind is a complete save, the old one or the new one, never a mix or a fragment."""

from __future__ import annotations

import json
import os
import random
import select
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from game.saves import SaveStore
from game.story import engine
from game.story.loader import load_story

ROOT = Path(__file__).resolve().parent.parent
MINI = load_story(ROOT / "tests" / "fixtures" / "mini")

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def states() -> list:
    """A few different states of the mini story, indexed by save number modulo their count."""
    found = []
    for seed in range(12):
        rng = random.Random(seed)
        state = engine.new_game(MINI, seed=seed)
        for _ in range(rng.randrange(6)):
            choices = engine.available_choices(MINI, state)
            if not choices:
                break
            state = engine.choose(MINI, state, rng.choice(choices).id)
        found.append(state)
    return found


STATES = states()
SLOTS = ("1", "named slot", "quick", "auto-1", "auto-2", "auto-3")


def save_forever(folder: Path, start: int, ready: int | None = None) -> None:
    """The child's work: save #n into slot 1, a named slot, the quicksave and an autosave, forever.
    After the first complete round it writes a byte to `ready`, so a loaded machine cannot make
    the parent kill every child before it has done any work."""
    store = SaveStore(folder)
    n = start
    while True:
        if ready is not None and n == start + 1:
            os.write(ready, b"1")
            os.close(ready)
            ready = None
        n += 1
        state = STATES[n % len(STATES)]
        label = f"save {n}:" + "x" * (n % 150)
        store.save(1, MINI, state, label=label, play_seconds=n)
        store.save("named slot", MINI, state, label=label, play_seconds=n)
        store.quicksave(MINI, state, n, label=label)
        store.autosave(MINI, state, n)


def check_folder(folder: Path, before: dict[str, int]) -> dict[str, int]:
    """Every slot and backup file is a complete save #n holding exactly STATES[n % len]; each slot
    holds the save it held before or a newer one. Returns slot -> n."""
    store = SaveStore(folder)  # a fresh store: nothing cached
    after: dict[str, int] = {}
    for path in sorted(folder.iterdir()):
        if path.name.endswith(".tmp"):
            continue
        if path.name.endswith(".json.bak"):
            slot, loader = path.name[: -len(".json.bak")], store.load_backup
        else:
            assert path.name.endswith(".json"), path.name
            slot, loader = path.name[: -len(".json")], store.load
        loaded = loader(slot, MINI)  # raises if the file is anything but a valid save
        n = int(loaded.info.play_seconds)
        expected_label = "" if slot.startswith("auto-") else f"save {n}:" + "x" * (n % 150)
        assert loaded.info.label == expected_label, path.name
        assert loaded.state == STATES[n % len(STATES)], path.name
        raw = json.loads(path.read_bytes())
        assert raw["play_seconds"] == n and raw["format"] == 1
        if not path.name.endswith(".bak"):
            after[slot] = n
            assert n >= before.get(slot, 0), f"{slot} went back from save {before.get(slot)} to {n}"
    assert set(before) <= set(after), "a slot disappeared"
    return after


def newest_number(seen: dict[str, int]) -> int:
    return max(seen.values(), default=0)


def sweep_temps(folder: Path) -> int:
    temps = [p for p in folder.iterdir() if p.name.endswith(".tmp")]
    for p in temps:
        p.unlink()
    return len(temps)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_sigkill_during_saves_never_leaves_a_broken_slot(tmp_path: Path):
    folder = tmp_path / "saves"
    rng = random.Random(20240601)
    seen: dict[str, int] = {}
    cut_mid_write = 0
    started = time.monotonic()
    for _ in range(200):
        start = newest_number(seen)
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: save until killed; never return into pytest
            try:
                os.close(read_end)
                save_forever(folder, start, write_end)
            finally:
                os._exit(1)
        os.close(write_end)
        select.select([read_end], [], [], 30)  # one whole round saved, then a random moment
        os.close(read_end)
        time.sleep(rng.uniform(0.005, 0.060))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, "the saving loop stopped by itself"
        if folder.exists():
            seen = check_folder(folder, seen)
            cut_mid_write += sweep_temps(folder)
    elapsed = time.monotonic() - started
    assert set(seen) == set(SLOTS)
    assert newest_number(seen) > 200  # the children got real work done between kills
    print(f"\n200 kills in {elapsed:.1f} s; {newest_number(seen)} save rounds; "
          f"{cut_mid_write} kills landed mid-save (a temporary file not yet renamed)")


CHILD = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {root!r})
    sys.path.insert(0, {tests!r})
    from pathlib import Path
    import test_saves_crash as t
    print("ready", flush=True)
    t.save_forever(Path({folder!r}), int(sys.argv[1]))
    """
)


def test_sigkill_of_a_fresh_interpreter(tmp_path: Path):
    """The same with real subprocesses (a fresh Python each time), fewer rounds: start-up is slow."""
    folder = tmp_path / "saves"
    script = CHILD.format(root=str(ROOT), tests=str(ROOT / "tests"), folder=str(folder))
    rng = random.Random(7)
    seen: dict[str, int] = {}
    for _ in range(8):
        proc = subprocess.Popen([sys.executable, "-c", script, str(newest_number(seen))],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
            time.sleep(rng.uniform(0.005, 0.060))
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            proc.stdout.close()
            proc.stderr.close()
        assert proc.returncode == -signal.SIGKILL
        if folder.exists():
            seen = check_folder(folder, seen)
            sweep_temps(folder)
    assert seen, "no save was written"
