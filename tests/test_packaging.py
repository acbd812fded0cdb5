"""Packaging: the core stays free of Textual, and the shipped scenes are found when installed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _python(code: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, env=env, timeout=120)


def test_core_and_tools_do_not_import_textual():
    code = (
        "import sys, game.story.loader, game.story.engine, game.story.conditions, game.story.state, "
        "game.tools.check, game.tools, game.story, game.session, game.plain\n"
        "from game.story.loader import load_story\n"
        "from game.session import Session\n"
        "s = Session.new(load_story('tests/fixtures/mini'), seed=1)\n"
        "s.take(s.choice_id(1)); s.undo()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    result = _python(code, ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_no_eval_exec_or_pickle_in_game():
    pattern = re.compile(r"(^|[^.\w])(eval|exec)\(|import pickle|pickle\.load|marshal\.loads")
    hits = [
        f"{path}:{n}"
        for path in (ROOT / "game").rglob("*.py")
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line) and not line.lstrip().startswith("#")
    ]
    assert hits == []


def test_python_dash_m_game_is_the_thaw_command():
    result = subprocess.run([sys.executable, "-m", "game", "--version"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0 and result.stdout.startswith("thaw ")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built from the checkout, as a plain `pip install .` would build it."""
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    if result.returncode != 0:
        # No setuptools/wheel in this environment without isolation: build the normal way.
        result = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
            capture_output=True, text=True, timeout=300,
        )
    assert result.returncode == 0, result.stderr
    return next(out.glob("*.whl"))


def test_wheel_ships_every_scene_file(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in (ROOT / "scenes").rglob("*.toml"):
        assert f"game/scenes/{path.relative_to(ROOT / 'scenes').as_posix()}" in names


def test_installed_copy_finds_its_scenes_outside_a_checkout(wheel: Path, tmp_path: Path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site)}
    code = (
        "from game.paths import default_scenes_dir, checkout_root\n"
        "from game.story.loader import load_story\n"
        "import game\n"
        "d = default_scenes_dir()\n"
        "assert checkout_root() is None, checkout_root()\n"
        "assert str(d).startswith(%r), d\n"
        "s = load_story(d)\n"
        "print(s.info.id, len(s.scenes))" % str(site)
    )
    result = _python(code, tmp_path, env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("thaw ")


def test_checkout_finds_its_scenes():
    result = _python("from game.paths import default_scenes_dir; print(default_scenes_dir())", ROOT)
    assert Path(result.stdout.strip()) == ROOT / "scenes"
