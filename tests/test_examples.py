"""examples/minimal: the worked example of docs/authoring.md loads, checks strictly and plays through."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from game.story.loader import load_story
from game.tools.check import check_folder
from game.tools.playtest import exhaustive_playtest, random_playtest

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "examples" / "minimal"


def test_minimal_example_checks_strictly():
    report = check_folder(MINIMAL)
    assert report.problems == [], report.text()
    story = load_story(MINIMAL)
    assert story.info.id == "minimal"
    assert 3 <= len(story.scenes) <= 6


def test_minimal_example_has_no_dead_ends_and_reaches_everything():
    story = load_story(MINIMAL)
    for report in (exhaustive_playtest(story), random_playtest(story, 300, seed=0)):
        assert not report.failed, report.text()
        assert report.dead_ends == {}
        assert all(e.count for e in report.endings.values())


def test_minimal_example_plays_in_the_plain_front_end(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "-m", "game", "play", "--plain", "--scenes", "examples/minimal", "--seed", "1",
         "--saves", str(tmp_path)],
        input="2\n1\n1\n1\n", capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "*** THE END: Two Glasses of Tea ***" in result.stdout
