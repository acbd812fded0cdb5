"""README.md stays true: its example scene loads into the shipped story, its commands exist."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from game.story.loader import load_story

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_readme_example_scene_loads_into_the_shipped_story(tmp_path: Path):
    example = re.search(r"```toml\n(.*?)```", README, re.S).group(1)
    story = tmp_path / "scenes"
    shutil.copytree(ROOT / "scenes", story)
    (story / "01-march-1953" / "99-readme-example.toml").write_text(example)
    loaded = load_story(story)
    scene = loaded.scenes["c1_my_scene"]
    assert [c.id for c in scene.choice] == ["wait", "go_home"]


def test_readme_example_scene_passes_strict_check(tmp_path: Path):
    """Done as the README says (the file added, a choice of an existing scene pointed at it), the
    shipped story still passes `thaw check --strict`: no time running backwards, nothing unreachable."""
    from game.tools.check import check_folder

    example = re.search(r"```toml\n(.*?)```", README, re.S).group(1)
    story = tmp_path / "scenes"
    shutil.copytree(ROOT / "scenes", story)
    (story / "01-march-1953" / "05-my-scene.toml").write_text(example)
    leadership = story / "01-march-1953" / "06-the-leadership.toml"
    text = leadership.read_text()
    assert 'goto = "c1_hall_of_columns"' in text
    leadership.write_text(text.replace('goto = "c1_hall_of_columns"', 'goto = "c1_my_scene"', 1))
    report = check_folder(story)
    assert report.problems == [], report.text()
    assert report.summary.scenes == len(load_story(ROOT / "scenes").scenes) + 1


def test_readme_commands():
    assert 'pip install . && thaw' in README
    assert 'pip install ".[test]" && python -m pytest' in README
    ci = (ROOT / ".ci" / "run").read_text()
    assert 'pip install ".[test]" && python -m pytest' in ci
    assert (ROOT / "docs" / "screenshot.svg").is_file() and "docs/screenshot.svg" in README
    for line in re.findall(r"^thaw (\w+)", README, re.M):
        result = subprocess.run([sys.executable, "-m", "game", line, "--help"], capture_output=True, text=True, cwd=ROOT)
        assert result.returncode == 0, (line, result.stderr)
