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


def _code_block_after(heading: str) -> str:
    section = README.split(f"## {heading}\n", 1)[1]
    return re.search(r"```sh\n(.*?)\n```", section, re.S).group(1).strip()


def test_the_play_command_installs_into_a_virtual_environment():
    """System Pythons that are externally managed (PEP 668: Debian, Ubuntu) refuse a bare
    `pip install`: the one-line play command makes a virtual environment in the checkout and
    uses its pip and its thaw."""
    line = _code_block_after("Play")
    steps = [step.strip() for step in line.split("&&")]
    assert steps[0] == "python3 -m venv .venv", line
    assert steps[1] == ".venv/bin/pip install .", line
    assert steps[2] == ".venv/bin/thaw", line


def test_ci_runs_the_readme_test_command_verbatim():
    command = _code_block_after("Test")
    assert command == 'pip install ".[test]" && python -m pytest'
    ci = (ROOT / ".ci" / "run").read_text()
    assert command in ci.splitlines()


def test_readme_commands():
    assert (ROOT / "docs" / "screenshot.svg").is_file() and "docs/screenshot.svg" in README
    for line in re.findall(r"^thaw (\w+)", README, re.M):
        result = subprocess.run([sys.executable, "-m", "game", line, "--help"], capture_output=True, text=True, cwd=ROOT)
        assert result.returncode == 0, (line, result.stderr)


def test_readme_says_what_the_story_covers_as_the_title_screen_does(shipped):
    from game.reading import story_scope

    line = story_scope(shipped)
    assert line, "the README must say what the story covers, as the title screen does"
    assert f"\n{line}\n" in README, f"README.md should say, on a line of its own: {line}"
