"""The Thaw in a real headless Chromium through `thaw serve` (Playwright with the system Chromium).

The terminal is drawn on a canvas, so the tests read what the game sent: the websocket frames
(escape sequences stripped) and the visitor's own save files, never the page's DOM. Marked
`browser`: deselected with the reason where there is no Chromium; CI installs it and runs them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import CHROMIUM, SCENES, browser_missing
from serve_support import Served, wait_for
from test_serve import screen_text, squeeze

pytestmark = pytest.mark.browser

F5 = "F5"  # quicksave: xterm.js takes the key, so the browser does not reload the page


@pytest.fixture(scope="module")
def chromium():
    missing = browser_missing()
    if missing:  # only where the tests must run (CI): elsewhere they are deselected
        pytest.fail(f"the browser tests must run here, but {missing}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def served(tmp_path: Path):
    server = Served(tmp_path / "data", "--scenes", str(SCENES))
    yield server
    server.stop()


class Tab:
    """A page of the game: every binary websocket frame and every request it made are kept."""

    def __init__(self, context, url: str) -> None:
        self.frames: list[bytes] = []
        self.requests: list[str] = []
        self.page = context.new_page()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("websocket", self._watch)
        self.page.goto(url)
        self.page.wait_for_selector("body.-first-byte", timeout=30_000)

    def _watch(self, websocket) -> None:
        websocket.on("framereceived", lambda frame: self.frames.append(frame) if isinstance(frame, bytes) else None)

    def text(self) -> str:
        return screen_text(self.frames)

    def until(self, condition, timeout: float, what: str) -> None:
        """Wait, letting Playwright deliver its events (a plain sleep would hold them back)."""
        for _ in range(int(timeout * 20)):
            if condition():
                return
            self.page.wait_for_timeout(50)
        pytest.fail(f"timed out after {timeout:g} s waiting for {what}; the game showed {self.text()[-800:]!r}")

    def wait_text(self, text: str, timeout: float = 20) -> None:
        self.until(lambda: squeeze(text) in self.text(), timeout, f"the game to show {text!r}")

    def press(self, *keys: str) -> None:
        for key in keys:
            mark = len(self.frames)
            self.page.focus(".xterm-helper-textarea")  # the terminal's keyboard input
            self.page.keyboard.press(key)
            self.until(lambda: len(self.frames) > mark, 10, f"a frame after {key}")
            self.page.wait_for_timeout(250)


def scene_opening(scene_text: str) -> str:
    """The first words of a scene's prose as the screen shows them (markup asterisks dropped)."""
    return " ".join(scene_text.replace("*", "").split()[:8])


def test_a_visitor_plays_saves_leaves_and_continues_where_they_were(chromium, served: Served, shipped):
    context = chromium.new_context(viewport={"width": 1200, "height": 800})
    tab = Tab(context, served.url)
    tab.wait_text("New game")
    tab.press("n")
    tab.wait_text(scene_opening(shipped.scenes[shipped.info.start].text))
    tab.press("1", "1", "1", F5)
    tab.wait_text("Saved")

    (visitor,) = [c["value"] for c in context.cookies() if c["name"] == "thaw_visitor"]
    saves = served.data / "visitors" / visitor / "saves"
    quick = json.loads((saves / "quick.json").read_text())
    scene = quick["state"]["scene"]
    assert scene in shipped.scenes and scene != shipped.info.start
    opening = scene_opening(shipped.scenes[scene].text)
    assert squeeze(opening) in tab.text()
    assert all(url.startswith(served.url) for url in tab.requests), tab.requests  # nothing from elsewhere

    tab.page.close()
    wait_for(lambda: served.games() == [], what="the closed tab's game to end")

    again = Tab(context, served.url)  # the same browser, so the same cookie
    again.wait_text("Continue")
    assert squeeze(opening) not in again.text()
    again.press("Enter")
    again.wait_text(opening)
    again.page.close()
    context.close()
    wait_for(lambda: served.games() == [], what="the game to end")
    assert served.shared_files() == []  # the server's own save and temp folders: untouched


def test_a_second_visitor_sees_none_of_the_first_ones_saves(chromium, served: Served):
    first = chromium.new_context()
    tab = Tab(first, served.url)
    tab.wait_text("New game")
    tab.press("n", "1", F5)
    tab.wait_text("Saved")
    first.close()
    wait_for(lambda: served.games() == [], what="the first visitor's game to end")

    second = chromium.new_context()  # another browser: no cookie
    other = Tab(second, served.url)
    other.wait_text("New game")
    other.press("l")
    other.wait_text("esc Close")  # the Load screen
    shown = other.text()
    assert "Continue" not in shown and "Quicksave" not in shown and "Autosave" not in shown
    cookies = [c["value"] for c in second.cookies() if c["name"] == "thaw_visitor"]
    assert len(served.visitors()) == 2 and cookies
    assert not list((served.data / "visitors" / cookies[0] / "saves").glob("*.json"))
    second.close()

