"""Shared fixtures: the fixture pack, a loader for copies of it, and the shipped story."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from game.story.loader import load_story

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI = FIXTURES / "mini"
SCENES = ROOT / "scenes"


@pytest.fixture(scope="session")
def mini():
    return load_story(MINI)


@pytest.fixture
def pack(tmp_path: Path):
    """A writable copy of the fixture pack, returned as its folder."""
    dest = tmp_path / "pack"
    shutil.copytree(MINI, dest)
    return dest


@pytest.fixture(scope="session")
def shipped():
    return load_story(SCENES)
