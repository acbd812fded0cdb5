"""`thaw serve` without a browser: visitor ids and folders, and a real server driven through its
websocket the way textual-serve's page drives it (keys in, the game's output frames out)."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from game.serve.visitors import (COOKIE, VisitorFolders, default_max_sessions, game_command, new_id,
                                 valid_id)
from conftest import MINI
from serve_support import Served, wait_for

aiohttp = pytest.importorskip("aiohttp", reason="aiohttp comes with textual-serve: pip install \".[test]\"")

ANSI = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-B]|\x1b[=>]|\x1b\][^\x07]*\x07")


def screen_text(chunks: list[bytes]) -> str:
    """What the game wrote, escape sequences and all whitespace removed (so wrapping and cursor
    moves do not matter): search it with squeeze(text)."""
    return squeeze(ANSI.sub("", b"".join(chunks).decode("utf-8", "replace")))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ---- ids, folders and the command ----------------------------------------------------------------


def test_new_ids_are_valid_and_distinct():
    ids = {new_id() for _ in range(200)}
    assert len(ids) == 200
    assert all(valid_id(i) == i for i in ids)


@pytest.mark.parametrize("forged", [
    "", "../../etc", "a" * 31, "a" * 33, "A" * 32, "0" * 31 + "/", "0" * 31 + "\x00", "0" * 32 + "\n",
    None, 12, ["0" * 32],
])
def test_malformed_ids_are_refused_and_never_become_a_path(forged, tmp_path: Path):
    assert valid_id(forged) is None
    with pytest.raises(ValueError):
        VisitorFolders(tmp_path).home(forged)  # type: ignore[arg-type]


def test_each_visitor_has_a_folder_under_the_data_folder(tmp_path: Path):
    folders = VisitorFolders(tmp_path)
    a, b = new_id(), new_id()
    home_a = folders.prepare(a)
    assert home_a == tmp_path.resolve() / "visitors" / a
    assert (home_a / "saves").is_dir() and (home_a / "tmp").is_dir()
    assert folders.home(b) != home_a and not folders.home(b).exists()
    assert oct(home_a.stat().st_mode & 0o777) == "0o700"


def test_every_writable_place_of_a_game_is_in_its_visitors_folder(tmp_path: Path):
    folders = VisitorFolders(tmp_path)
    visitor = new_id()
    home = folders.home(visitor)
    env = folders.environment(visitor, {"PATH": "/usr/bin", "SECRET_TOKEN": "x", "THAW_SAVES": "/shared"})
    for key in ("HOME", "THAW_SAVES", "TMPDIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        assert Path(env[key]).is_relative_to(home), key
    assert env["THAW_SAVES"] == str(home / "saves")
    assert "SECRET_TOKEN" not in env and env["PATH"] == "/usr/bin"


def test_the_game_command_is_an_argument_list_with_nothing_from_a_request(tmp_path: Path):
    argv = game_command(str(tmp_path / "a story; rm -rf ~"))
    assert argv[:5] == [sys.executable, "-P", "-m", "game", "play"]
    assert argv[5:] == ["--scenes", str((tmp_path / "a story; rm -rf ~").resolve())]


def test_default_session_cap_comes_from_memory():
    assert default_max_sessions(24 * 1024) == 153  # half of 24 GiB at 80 MiB a game
    assert default_max_sessions(1024) == 6
    assert default_max_sessions(64) == 1
    assert default_max_sessions() >= 1


# ---- a real server ---------------------------------------------------------------------------------


@pytest.fixture
def served(tmp_path: Path, request):
    args = getattr(request, "param", ())
    server = Served(tmp_path / "data", "--scenes", str(MINI), *args)
    yield server
    server.stop()


class Visitor:
    """One browser's worth of state: its cookie, its websocket, what the game sent it."""

    def __init__(self, server: Served, cookie: str | None = None) -> None:
        self.server = server
        self.cookie = cookie
        self.chunks: list[bytes] = []
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar())
        self.ws = None
        self._reader: asyncio.Task | None = None

    async def page(self) -> tuple[int, str]:
        headers = cookie_header(self.cookie) if self.cookie else None
        async with self.http.get(self.server.url + "/", headers=headers) as response:
            body = await response.text()
            morsel = response.cookies.get(COOKIE)
            if morsel is not None:
                self.cookie = morsel.value
            return response.status, body

    async def play(self) -> None:
        self.ws = await self.http.ws_connect(f"{self.server.url}/ws?width=100&height=30",
                                             headers=cookie_header(self.cookie), origin=self.server.url)
        self._reader = asyncio.create_task(self._read())
        await self.wait_text("Newgame")

    async def _read(self) -> None:
        async for message in self.ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.chunks.append(message.data)

    async def wait_text(self, text: str, timeout: float = 20) -> None:
        for _ in range(int(timeout / 0.05)):
            if squeeze(text) in screen_text(self.chunks):
                return
            await asyncio.sleep(0.05)
        pytest.fail(f"the game never showed {text!r}; it showed {screen_text(self.chunks)[-1500:]!r}")

    async def keys(self, *keys: str) -> None:
        for key in keys:
            await self.ws.send_str(json.dumps(["stdin", key]))
            await asyncio.sleep(0.3)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            await self._reader
        await self.http.close()


def cookie_header(visitor: str) -> dict[str, str]:
    return {"Cookie": f"{COOKIE}={visitor}"}


def saves_of(server: Served, visitor: str) -> list[str]:
    folder = server.data / "visitors" / visitor / "saves"
    return sorted(p.name for p in folder.glob("*.json")) if folder.is_dir() else []


async def test_the_page_gives_a_new_visitor_a_cookie_and_keeps_a_valid_one(served: Served):
    visitor = Visitor(served)
    status, body = await visitor.page()
    first = visitor.cookie
    assert status == 200 and valid_id(first) and "The Thaw" in body
    assert "googleapis" not in body and "https://" not in body
    assert (await visitor.page())[0] == 200 and visitor.cookie == first
    await visitor.close()


async def test_a_forged_cookie_is_replaced_never_used(served: Served):
    visitor = Visitor(served, cookie="../../../etc")
    await visitor.page()
    assert valid_id(visitor.cookie) and visitor.cookie != "../../../etc"
    assert not (served.data / "etc").exists()
    await visitor.close()


async def test_a_websocket_without_a_visitor_or_from_another_site_is_refused(served: Served):
    async with aiohttp.ClientSession() as http:
        with pytest.raises(aiohttp.WSServerHandshakeError) as no_cookie:
            await http.ws_connect(served.url + "/ws")
        assert no_cookie.value.status == 403
        with pytest.raises(aiohttp.WSServerHandshakeError) as foreign:
            await http.ws_connect(served.url + "/ws", headers=cookie_header(new_id()), origin="http://evil.example")
        assert foreign.value.status == 403
    assert served.games() == []


async def test_a_closed_tab_ends_its_game_after_an_autosave(served: Served):
    visitor = Visitor(served)
    await visitor.page()
    await visitor.play()
    assert len(served.games()) == 1
    await visitor.keys("n")
    await visitor.wait_text("Orlova is typing")  # the mini pack's first scene
    await visitor.close()
    wait_for(lambda: served.games() == [], what="the game process to end")
    assert "auto-1.json" in saves_of(served, visitor.cookie)


@pytest.mark.parametrize("served", [("--idle-timeout", "2")], indirect=True)
async def test_an_idle_game_autosaves_and_ends(served: Served):
    visitor = Visitor(served)
    await visitor.page()
    await visitor.play()
    await visitor.keys("n", "1")
    await visitor.wait_text("The key is cold in your pocket")
    for _ in range(200):  # nobody types: the server ends the game
        if visitor.ws.closed:
            break
        await asyncio.sleep(0.05)
    assert visitor.ws.closed
    wait_for(lambda: served.games() == [], what="the idle game to end")
    save = json.loads((served.data / "visitors" / visitor.cookie / "saves" / "auto-1.json").read_text())
    assert "hall" in json.dumps(save)
    await visitor.close()


@pytest.mark.parametrize("served", [("--max-sessions", "1")], indirect=True)
async def test_beyond_the_cap_a_visitor_gets_the_full_page(served: Served):
    first, second = Visitor(served), Visitor(served)
    await first.page()
    await first.play()
    status, body = await second.page()
    assert status == 503 and "server is full" in body
    assert (await first.page())[0] == 200  # the visitor playing keeps their seat
    second.cookie = second.cookie or new_id()
    second.ws = await second.http.ws_connect(f"{served.url}/ws", headers=cookie_header(second.cookie),
                                             origin=served.url)
    message = await second.ws.receive()
    assert message.type == aiohttp.WSMsgType.CLOSE and second.ws.close_code == 1013
    assert len(served.games()) == 1
    await first.close()
    wait_for(lambda: served.games() == [], what="the game to end")
    assert (await second.page())[0] == 200
    await second.close()


async def test_one_game_per_visitor_a_new_tab_replaces_the_old(served: Served):
    old = Visitor(served)
    await old.page()
    await old.play()
    pid = served.games()
    new = Visitor(served, cookie=old.cookie)
    await new.play()
    wait_for(lambda: old.ws.closed, what="the old tab to close")
    games = wait_for(lambda: (g := served.games()) and g != pid and len(g) == 1 and g, what="one new game")
    assert len(games) == 1
    await old.close()
    await new.close()


async def test_visitors_see_only_their_own_saves(served: Served):
    a, b = Visitor(served), Visitor(served)
    await a.page()
    await b.page()
    await a.play()
    await a.keys("n", "1", "\x1b[15~")  # F5: quicksave
    await a.wait_text("The key is cold in your pocket")
    await a.close()
    wait_for(lambda: served.games() == [], what="a's game to end")
    assert saves_of(served, a.cookie)
    await b.play()
    await b.keys("l")
    await b.wait_text("esc Close")  # the Load screen's footer
    shown = screen_text(b.chunks)
    assert "Continue" not in shown and "Quicksave" not in shown and "Autosave" not in shown
    await b.close()
    assert saves_of(served, b.cookie) == []
    wait_for(lambda: served.games() == [], what="b's game to end")
    assert served.shared_files() == []  # the server's own save and temp folders: untouched


async def test_the_command_never_goes_through_a_shell(tmp_path: Path):
    """A story folder named like a shell command plays as a folder; nothing is executed."""
    scenes = tmp_path / "story $(touch PWNED); touch PWNED2"
    shutil.copytree(MINI, scenes)
    server = Served(tmp_path / "data", "--scenes", str(scenes))
    try:
        visitor = Visitor(server)
        await visitor.page()
        await visitor.play()
        await visitor.close()
    finally:
        server.stop()
    assert not list(tmp_path.rglob("PWNED*"))


def test_idle_durations_read_as_words():
    from game.serve.server import duration

    assert [duration(s) for s in (1, 3, 60, 90, 1800)] == ["1 second", "3 seconds", "1 minute", "1 minute",
                                                           "30 minutes"]
