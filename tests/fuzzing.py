"""Shared settings of the fuzz tests, and scratch folders that do not grow with the examples.

Every hypothesis test that feeds the game hostile or random input takes its example count from
THAW_FUZZ_EXAMPLES when it is set (CI runs the defaults):

    THAW_FUZZ_EXAMPLES=20000 python -m pytest tests/test_hardening.py tests/test_saves_props.py \\
        tests/test_condition_fuzz.py -k "fuzz or any or mutated or round_trip or soup"

A test's examples share one scratch folder, reset before each example: a new temporary folder per
example (pytest's mktemp) costs time in proportion to the folders already made.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings

#: the scratch folders of one test run, removed when it ends
ROOT = Path(tempfile.mkdtemp(prefix="thaw-fuzz-"))
atexit.register(shutil.rmtree, ROOT, ignore_errors=True)


def examples(default: int) -> int:
    """The number of examples to run: THAW_FUZZ_EXAMPLES, else `default`."""
    value = os.environ.get("THAW_FUZZ_EXAMPLES")
    return int(value) if value else default


def fuzz(default: int) -> settings:
    return settings(max_examples=examples(default), deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


class Scratch:
    """A copy of `source` (a folder) made once; :meth:`fresh` puts every file back as it was and
    removes any other file, in time proportional to the folder's size, not to the examples run."""

    def __init__(self, name: str, source: Path | None = None) -> None:
        self.folder = ROOT / name
        self.source = source
        self.originals: dict[Path, bytes] = {}
        if source is not None:
            shutil.copytree(source, self.folder, dirs_exist_ok=True)
            self.originals = {p.relative_to(source): p.read_bytes() for p in source.rglob("*") if p.is_file()}
        self.folder.mkdir(parents=True, exist_ok=True)

    def fresh(self) -> Path:
        for path in sorted(self.folder.rglob("*"), reverse=True):
            rel = path.relative_to(self.folder)
            if path.is_dir() and not path.is_symlink():
                if not any(r.parts[: len(rel.parts)] == rel.parts for r in self.originals):
                    shutil.rmtree(path)
            elif rel not in self.originals:
                path.unlink()
        for rel, raw in self.originals.items():
            target = self.folder / rel
            if not target.is_file() or target.read_bytes() != raw:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(raw)
        return self.folder
