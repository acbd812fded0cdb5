"""The fuzz harness scales (issue 10, finding 12): the example count comes from THAW_FUZZ_EXAMPLES
for every fuzz target, and the folders a run makes do not grow with the examples.

A temporary folder per example made 20,000 examples take longer than 700 s: each new folder cost
time in proportion to those already made. Counting folders, not seconds, keeps this test exact.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from fuzzing import Scratch

TESTS = Path(__file__).resolve().parent
MINI = TESTS / "fixtures" / "mini"
#: every fuzz target of the suite (tests/fuzzing.py says how to run them longer)
TARGETS = [
    "test_hardening.py::test_fuzz_byte_mutations",
    "test_hardening.py::test_fuzz_structural_mutations",
    "test_hardening.py::test_fuzz_save_files",
    "test_hardening.py::test_fuzz_any_text_in_a_field",
    "test_hardening.py::test_fuzz_any_text_in_a_save",
    "test_saves_props.py::test_round_trip_after_random_play",
    "test_saves_props.py::test_round_trip_shipped_story",
    "test_saves_props.py::test_any_bytes_are_listed_never_crash",
    "test_saves_props.py::test_mutated_saves_load_or_fail_plainly",
    "test_condition_fuzz.py::test_any_text",
    "test_condition_fuzz.py::test_token_soup",
]


def _run(examples: int, where: Path) -> tuple[dict[str, int], int]:
    """Run every fuzz target with `examples` examples in a fresh temporary area: (passing examples
    of each target, how many folders the run left or made there)."""
    tmp, base = where / "tmp", where / "base"
    tmp.mkdir(parents=True)
    env = {**os.environ, "THAW_FUZZ_EXAMPLES": str(examples), "TMPDIR": str(tmp)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--basetemp={base}",
         "--hypothesis-show-statistics", *(str(TESTS / t) for t in TARGETS)],
        cwd=where, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    counts = {}
    for block in re.split(r"\n(?=\S)", result.stdout):
        name = re.match(r"(?:\S*/)?(test_\w+\.py::test_\w+):", block)
        passing = re.search(r"during generate phase.*\n(?:.*\n)*?\s+- (\d+) passing", block)
        if name and passing:
            counts[name.group(1)] = int(passing.group(1))
    folders = sum(1 for p in [*tmp.rglob("*"), *base.rglob("*")] if p.is_dir())
    return counts, folders


def test_every_fuzz_target_takes_its_count_and_no_folder_per_example(tmp_path):
    few, more = _run(4, tmp_path / "few"), _run(16, tmp_path / "more")
    assert few[0] == {t: 4 for t in TARGETS}
    assert more[0] == {t: 16 for t in TARGETS}
    assert more[1] == few[1], "the fuzz run made folders in proportion to its examples"


def test_a_scratch_folder_is_put_back_as_it_was(tmp_path):
    scratch = Scratch("scratch-test", MINI)
    folder = scratch.fresh()
    before = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert before == {p.relative_to(MINI): p.read_bytes() for p in MINI.rglob("*") if p.is_file()}
    (folder / "story.toml").write_text("broken = [", encoding="utf-8")
    next(p for p in folder.rglob("*.toml") if p.name != "story.toml").unlink()
    (folder / "new" / "deeper").mkdir(parents=True)
    (folder / "new" / "deeper" / "extra.toml").write_text("x = 1", encoding="utf-8")
    (folder / "one" / "extra.toml").write_text("x = 1", encoding="utf-8")
    assert scratch.fresh() == folder
    assert {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
    assert not (folder / "new").exists()
