"""Shared fixtures: the fixture pack, a loader for copies of it, the shipped story, and the
marker that deselects the browser tests where there is no Chromium."""

from __future__ import annotations

import os
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


# ---- a save folder with fixed content, for the Save and Load screens ----------------------------

SAVED_AT = {  # slot -> when it was saved (UTC); the snapshots show these times in UTC
    "1": "2025-06-01T12:00:00+00:00",
    "3": "2025-06-03T18:45:00+00:00",
    "before the purge": "2025-06-04T08:00:00+00:00",
    "quick": "2025-06-05T21:10:00+00:00",
    "auto-1": "2025-06-05T21:12:00+00:00",
}


def write_fixed_saves(folder: Path, story) -> Path:
    """Slots 1 and 3, a named slot, the quicksave and an autosave with fixed times, labels (one
    of them Textual markup) and play times, and slot 2 damaged (cut short) with a good backup."""
    import datetime as dt
    import json
    import os

    from game.saves import SaveStore
    from game.story.engine import choose, new_game

    store = SaveStore(folder)
    start = new_game(story, 1)
    hall = choose(story, start, "wait")
    office = choose(story, hall, "talk")

    def fix(path: Path, when: str, seconds: float) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        data["saved_at"], data["play_seconds"] = when, seconds
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    store.save("1", story, start, label="Before the hall")
    fix(folder / "1.json", SAVED_AT["1"], 3900)
    store.save("2", story, start, label="The first try")
    store.save("2", story, hall, label="The second try")  # the first becomes 2.json.bak
    fix(folder / "2.json.bak", "2025-06-02T09:00:00+00:00", 600)
    raw = (folder / "2.json").read_bytes()
    (folder / "2.json").write_bytes(raw[: len(raw) // 2])  # cut short, as by a crash
    when = dt.datetime(2025, 6, 2, 9, 30, tzinfo=dt.timezone.utc).timestamp()
    os.utime(folder / "2.json", (when, when))
    store.save("3", story, hall, label="[bold]x [/] [link=x]y")
    fix(folder / "3.json", SAVED_AT["3"], 754)
    store.save("before the purge", story, office)
    fix(folder / "before the purge.json", SAVED_AT["before the purge"], 9600)
    store.quicksave(story, hall, 7300)
    fix(folder / "quick.json", SAVED_AT["quick"], 7300)
    store.autosave(story, office, 7420)
    fix(folder / "auto-1.json", SAVED_AT["auto-1"], 7420)
    return folder


@pytest.fixture
def utc(monkeypatch):
    """Local time is UTC (the Save and Load screens show local times)."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def fixed_saves(tmp_path: Path, mini, utc) -> Path:
    return write_fixed_saves(tmp_path / "saves", mini)


# ---- the browser tests (tests/test_browser.py): run where Chromium is, and always in CI ----------

CHROMIUM = os.environ.get("THAW_CHROMIUM", "/usr/bin/chromium")


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright  # noqa: F401
        import textual_serve  # noqa: F401
    except ImportError as exc:
        return f"{exc.name} is not installed (pip install \".[test]\")"
    if not os.access(CHROMIUM, os.X_OK):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set THAW_CHROMIUM)"
    return None


def must_run_browser_tests() -> bool:
    """CI (and THAW_BROWSER_TESTS=1) runs the browser tests or fails: it never skips them."""
    return bool(os.environ.get("CI")) or os.environ.get("THAW_BROWSER_TESTS") == "1"


def pytest_collection_modifyitems(config, items):
    """Without Chromium the browser tests are deselected, and the summary says why; where they
    must run (CI) they stay selected and fail with the same reason."""
    reason = browser_missing()
    if reason is None or must_run_browser_tests():
        return
    browser = [item for item in items if item.get_closest_marker("browser")]
    if browser:
        items[:] = [item for item in items if not item.get_closest_marker("browser")]
        config.hook.pytest_deselected(items=browser)
        config._thaw_browser_deselected = (len(browser), reason)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    deselected = getattr(config, "_thaw_browser_deselected", None)
    if deselected:
        count, reason = deselected
        terminalreporter.write_line(
            f"{count} browser test(s) deselected: {reason}. CI installs Chromium and runs them "
            "(.ci/run); locally: apt-get install chromium, then python -m pytest -m browser.")
