"""`thaw serve`: The Thaw in a browser, one game process per visitor, through textual-serve.

textual-serve gives the page (xterm.js), the websocket and the relay of a Textual app's output.
What it leaves to us, and this module adds: who the visitor is (a cookie, validated before it is
used), a game process started without a shell whose every writable place is the visitor's own
folder, a cap on concurrent games with a plain "server is full" page, one game per visitor (a new
tab replaces the old one), an idle timeout, and leaving with an autosave whenever a game ends.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import shlex
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from game.serve.visitors import COOKIE, VisitorFolders, game_command, new_id, valid_id

log = logging.getLogger("textual-serve")

TEMPLATES = Path(__file__).resolve().parent / "templates"
DRIVER = "game.serve.driver:ThawWebDriver"
#: seconds a game has to autosave and exit once told to quit, before it is killed
QUIT_GRACE = 10.0
COOKIE_AGE = 400 * 24 * 3600  # the longest browsers keep a cookie
HOST_PATTERN = re.compile(r"[A-Za-z0-9.\-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")
CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'")
FULL_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>The Thaw: the server is full</title></head>
<body style="font-family: monospace; max-width: 40em; margin: 4em auto">
<h1>The server is full</h1>
<p>It is running as many games as it can at once ({limit}). Please try again in a few minutes;
your saved games are kept.</p>
</body></html>
"""


def duration(seconds: float) -> str:
    """'30 minutes', '1 minute', '45 seconds': how long an idle game lasts, for the page."""
    if seconds >= 120:
        return f"{round(seconds / 60)} minutes"
    if seconds >= 60:
        return "1 minute"
    return f"{seconds:.0f} second" + ("" if round(seconds) == 1 else "s")


def clamp(value: str | None, default: int, low: int, high: int) -> int:
    """An integer from a request, kept within [low, high] (the default when it is not one)."""
    try:
        number = int(value) if value is not None else default
    except ValueError:
        number = default
    return max(low, min(high, number))


class GameService(AppService):
    """One visitor's game process: started without a shell, in the visitor's folder, with an
    environment of its own; told to quit (it autosaves) and killed only if it does not leave."""

    def __init__(self, visitor: str, argv: list[str], env: dict[str, str], cwd: Path, **kwargs: Any) -> None:
        super().__init__(shlex.join(argv), **kwargs)
        self.visitor = visitor
        self.argv = argv
        self.env = env
        self.cwd = cwd
        self._stopping: asyncio.Future[None] | None = None

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        env = dict(self.env)
        env.update(
            TEXTUAL_DRIVER=DRIVER,
            TEXTUAL_FPS="60",
            TEXTUAL_COLOR_SYSTEM="truecolor",
            TERM_PROGRAM="textual",
            TERM_PROGRAM_VERSION=version("textual-serve"),
            COLUMNS=str(int(width)),
            ROWS=str(int(height)),
        )
        return env

    async def _open_app_process(self, width: int = 80, height: int = 24):
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width, height),
            cwd=self.cwd,
        )
        self._stdin = process.stdin
        return process

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    async def on_data(self, payload: bytes) -> None:
        """Relay output; once the tab has gone, keep reading (and dropping) it, so a game that is
        leaving never blocks on a full pipe before its autosave."""
        try:
            await self.remote_write_bytes(payload)
        except (ConnectionError, RuntimeError):
            pass

    async def stop(self) -> None:
        """Tell the game to quit (it autosaves and exits); kill it after QUIT_GRACE seconds.
        Every caller waits for the same stop, and cancelling one caller does not cut it short."""
        if self._stopping is None:
            self._stopping = asyncio.ensure_future(self._stop())
        await asyncio.shield(self._stopping)

    async def _stop(self) -> None:
        task, self._task = self._task, None
        if task is None:
            return
        await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        await self.send_meta({"type": "quit"})
        try:
            await asyncio.wait_for(asyncio.shield(task), QUIT_GRACE)
        except TimeoutError:
            log.warning("game %s did not quit in %.0f s: killed", self.pid, QUIT_GRACE)
            self.kill()
            await task
        process = self._process
        if process is not None:
            try:
                await asyncio.wait_for(process.wait(), QUIT_GRACE)
            except TimeoutError:
                self.kill()
                await process.wait()

    def kill(self) -> None:
        if self._process is not None and self._process.returncode is None:
            try:
                self._process.kill()
            except ProcessLookupError:
                pass


@dataclass
class Session:
    """A visitor's running game and its websocket."""

    visitor: str
    service: GameService
    websocket: web.WebSocketResponse
    last_input: float = field(default_factory=time.monotonic)
    ended: str = ""  # why the server ended it, if it did


class GameServer(Server):
    """textual-serve's server, with visitors, limits and a page that loads nothing from elsewhere."""

    def __init__(self, *, host: str, port: int, data: str | Path, max_sessions: int, idle_timeout: float,
                 scenes: str | None = None) -> None:
        super().__init__("thaw", host=host, port=port, title="The Thaw", templates_path=TEMPLATES)
        self.folders = VisitorFolders(data)
        self.max_sessions = max_sessions
        self.idle_timeout = idle_timeout
        self.argv = game_command(scenes)
        self.sessions: dict[str, Session] = {}

    # ---- pages ------------------------------------------------------------------------------------

    def full_for(self, visitor: str | None) -> bool:
        """No seat left for this visitor (a visitor already playing keeps theirs)."""
        return visitor not in self.sessions and len(self.sessions) >= self.max_sessions

    def _secure(self, request: web.Request) -> bool:
        return request.secure or request.headers.get("X-Forwarded-Proto", "").lower() == "https"

    def _host(self, request: web.Request) -> str:
        host = request.host
        return host if HOST_PATTERN.fullmatch(host) else f"{self.host}:{self.port}"

    async def handle_index(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        """The game page, and the visitor's cookie (a new id unless a well-formed one came back)."""
        visitor = valid_id(request.cookies.get(COOKIE)) or new_id()
        if self.full_for(visitor):
            return web.Response(text=FULL_PAGE.format(limit=self.max_sessions), status=503,
                                content_type="text/html", headers={"Retry-After": "60", "Cache-Control": "no-store"})
        scheme = "wss" if self._secure(request) else "ws"
        context = {
            "font_size": clamp(request.query.get("fontsize"), 16, 8, 48),
            "app_websocket_url": f"{scheme}://{self._host(request)}/ws",
            "config": {"static": {"url": "/static/"}},
            "application": {"name": self.title},
            "idle_for": duration(self.idle_timeout),
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.set_cookie(COOKIE, visitor, max_age=COOKIE_AGE, path="/", httponly=True, samesite="Strict",
                            secure=self._secure(request))
        response.headers["Cache-Control"] = "no-store"
        response.headers["Content-Security-Policy"] = CSP
        return response

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        """A file a game delivers (a screenshot) goes only to the visitor whose game made it."""
        visitor = valid_id(request.cookies.get(COOKIE))
        try:
            meta = await self.download_manager.get_download_metadata(request.match_info["key"])
        except KeyError:
            raise web.HTTPNotFound(text="No such download.") from None
        if visitor is None or getattr(meta.app_service, "visitor", None) != visitor:
            raise web.HTTPNotFound(text="No such download.")
        return await super().handle_download(request)

    # ---- games ------------------------------------------------------------------------------------

    def _origin_ok(self, request: web.Request) -> bool:
        """A websocket opened by another site's page (which the cookie alone would let in) is refused."""
        origin = request.headers.get("Origin")
        if origin is None:
            return True  # not a browser: it has no visitor's cookie to abuse
        return re.sub(r"^[a-z]+://", "", origin.lower()) == request.host.lower()

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        visitor = valid_id(request.cookies.get(COOKIE))
        if visitor is None or not self._origin_ok(request):
            return web.Response(status=403, text="Open the game's page first.")
        previous = self.sessions.get(visitor)
        if previous is not None:  # one game per visitor: this tab replaces the older one
            await self.end(previous, "replaced")
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)
        if self.full_for(visitor):
            await websocket.close(code=1013, message=b"server full")
            return websocket
        home = self.folders.prepare(visitor)
        service = GameService(
            visitor, self.argv, self.folders.environment(visitor), home,
            write_bytes=websocket.send_bytes, write_str=websocket.send_str, close=websocket.close,
            download_manager=self.download_manager,
        )
        session = Session(visitor, service, websocket)
        self.sessions[visitor] = session
        idle = asyncio.create_task(self._watch_idle(session))
        try:
            await service.start(clamp(request.query.get("width"), 80, 20, 400),
                                clamp(request.query.get("height"), 24, 10, 200))
            log.info("game %s started for visitor %s…", service.pid, visitor[:6])
            await self._relay(session)
        except asyncio.CancelledError:
            pass
        except Exception:  # noqa: BLE001 - logged for the operator; the visitor's page says it ended
            log.exception("game session failed")
        finally:
            idle.cancel()
            await service.stop()
            if self.sessions.get(visitor) is session:
                del self.sessions[visitor]
            if not websocket.closed:
                await websocket.close()
            log.info("game %s ended%s", service.pid, f" ({session.ended})" if session.ended else "")
        return websocket

    async def _relay(self, session: Session) -> None:
        """The browser's messages to the game: keys, resizes, focus; anything malformed is dropped."""
        service, websocket = session.service, session.websocket
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                kind, data = json.loads(message.data)
            except (ValueError, TypeError):
                continue
            if kind == "stdin" and isinstance(data, str):
                session.last_input = time.monotonic()
                await service.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                await service.set_terminal_size(clamp(data.get("width"), 80, 20, 400),
                                                clamp(data.get("height"), 24, 10, 200))
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()

    async def _watch_idle(self, session: Session) -> None:
        while True:
            left = session.last_input + self.idle_timeout - time.monotonic()
            if left <= 0:
                break
            await asyncio.sleep(left)
        await self.end(session, f"idle for {self.idle_timeout:.0f} s")

    async def end(self, session: Session, why: str) -> None:
        """End a game from the server's side: it autosaves and exits, then its tab is closed."""
        session.ended = why
        await session.service.stop()
        if not session.websocket.closed:
            await session.websocket.close(code=4000, message=why.encode()[:120])

    async def on_shutdown(self, app: web.Application) -> None:
        """Ctrl+C or SIGTERM: every game autosaves and exits before the server does."""
        await asyncio.gather(*(self.end(s, "server stopped") for s in list(self.sessions.values())),
                             return_exceptions=True)

    async def on_startup(self, app: web.Application) -> None:
        self.console.print(f"The Thaw: serving on {self.public_url} (up to {self.max_sessions} games at once, "
                           f"idle games end after {self.idle_timeout:.0f} s). Press Ctrl+C to stop.",
                           highlight=False, markup=False)
