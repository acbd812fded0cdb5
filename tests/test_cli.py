"""`thaw --help` and `thaw --version`: what a player types first."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"


def thaw(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "game", *args], capture_output=True, text=True, cwd=ROOT, timeout=60)


def test_help_lists_the_play_options():
    result = thaw("--help")
    assert result.returncode == 0, result.stderr
    for option in ("--plain", "--scenes DIR", "--seed N", "--load SLOT", "--saves DIR"):
        assert option in result.stdout, option
    assert "thaw play" in result.stdout


def test_version_prints_the_game_and_the_story(shipped):
    from game import __version__

    result = thaw("--version")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"thaw {__version__}"
    assert f"story '{shipped.info.id}' version {shipped.info.version}" in result.stdout
    assert shipped.info.title in result.stdout


def test_version_of_another_story_folder():
    result = thaw("--scenes", str(MINI), "--version")
    assert result.returncode == 0, result.stderr
    assert "story 'fixture' version 1.0.0" in result.stdout


def test_version_says_when_the_story_cannot_be_loaded(tmp_path):
    result = thaw("--scenes", str(tmp_path / "nowhere"), "--version")
    assert result.returncode == 0
    assert result.stdout.startswith("thaw ") and "cannot be loaded" in result.stdout
    assert "Traceback" not in result.stderr
