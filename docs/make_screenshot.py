"""Regenerate docs/screenshot.svg (shown in the README): the play screen of the shipped story at
120x40, one choice in, with a fixed seed and an empty save folder.

    python docs/make_screenshot.py
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.session import open_story  # noqa: E402
from game.ui.app import create_app  # noqa: E402


async def main() -> int:
    story = open_story(ROOT / "scenes")
    if story is None:
        return 1
    with tempfile.TemporaryDirectory() as saves:
        app = create_app(story, seed=1, saves_dir=saves, size=(120, 40))
        async with app.run_test() as pilot:
            await pilot.press("n")
            await pilot.pause()
            await pilot.press("2")  # ring home on the city line: a result and a changed stat
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            app.save_screenshot(filename="screenshot.svg", path=str(ROOT / "docs"))
    print(ROOT / "docs" / "screenshot.svg")
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
