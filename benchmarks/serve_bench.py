"""Load on `thaw serve`: concurrent visitors driven through its websocket, not a browser.

    python benchmarks/serve_bench.py [--levels 1,10,25] [--keys N]

Each simulated visitor connects as textual-serve's page does (a cookie, the websocket at 120x40),
starts a new game and takes a scripted route: every choice is a seeded random pick among the
available ones, a reader's pause of 1-3 s between keys. The client runs the story's engine itself
(the games are started with --seed 1), so it knows the scene each key leads to and times the key
until the game's output holds that scene's opening words. Memory is each game process's peak
resident set (VmHWM) after the route, against a bare Textual app (Header, Static, Footer) served
the same way; PSS (shared pages split between processes) gives the sessions per GB of docs/deploy.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ANSI = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-B]|\x1b[=>]|\x1b\][^\x07]*\x07")
SIZE = (120, 40)

BARE_SERVED = """
from textual.app import App
from textual.widgets import Footer, Header, Static


class Bare(App):
    def compose(self):
        yield Header()
        yield Static("Hello")
        yield Footer()


Bare().run()
"""

SERVER = """
import json, sys
sys.path.insert(0, {root!r})
from game.serve.server import GameServer

server = GameServer(host="127.0.0.1", port={port}, data={data!r}, max_sessions=200, idle_timeout=3600)
server.argv = json.loads({argv!r})
server.serve()
"""


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", ANSI.sub("", text))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    return out


def memory_kib(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak) from /proc/PID/status, Pss from smaps_rollup, in KiB."""
    found: dict[str, int] = {}
    for name, keys in (("status", ("VmRSS", "VmHWM")), ("smaps_rollup", ("Pss",))):
        try:
            for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
                key = line.split(":", 1)[0]
                if key in keys:
                    found[key] = int(line.split()[1])
        except OSError:
            pass
    return found


class Server:
    """A GameServer in its own process, serving `argv` as its game."""

    def __init__(self, argv: list[str], data: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        code = SERVER.format(root=str(ROOT), port=self.port, data=data, argv=json.dumps(argv))
        self.process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, cwd=ROOT)
        for _ in range(400):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("the benchmark's server did not start")

    def games(self) -> list[int]:
        return children(self.process.pid)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()


@dataclass
class Visitor:
    """One simulated browser: its websocket and everything the game has sent it."""

    url: str
    cookie: str
    text: str = ""
    latencies: list[float] = field(default_factory=list)
    ws: object = None
    http: object = None
    _reader: asyncio.Task | None = None
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def connect(self) -> None:
        import aiohttp

        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar())
        self.ws = await self.http.ws_connect(
            f"{self.url}/ws?width={SIZE[0]}&height={SIZE[1]}", origin=self.url,
            headers={"Cookie": f"thaw_visitor={self.cookie}"}, max_msg_size=0)
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        import aiohttp

        async for message in self.ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.text += squeeze(message.data.decode("utf-8", "replace"))
                self._arrived.set()

    async def wait_for(self, words: str, timeout: float = 60) -> float:
        """Seconds until the game's output (since the last mark) holds `words`."""
        began = time.perf_counter()
        target = squeeze(words)
        while target not in self.text:
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), max(0.01, timeout - (time.perf_counter() - began)))
            except TimeoutError:
                raise SystemExit(f"a session never showed {words!r}") from None
        return time.perf_counter() - began

    async def key(self, key: str) -> None:
        self.text = ""  # mark: only output after this key counts
        await self.ws.send_str(json.dumps(["stdin", key]))

    async def close(self) -> None:
        await self.ws.close()
        await self._reader
        await self.http.close()


def opening(story, scene: str) -> str:
    return " ".join(story.scenes[scene].text.replace("*", "").split()[:6])


async def playthrough(visitor: Visitor, story, keys: int, rng: random.Random, started: asyncio.Barrier) -> None:
    from game.story.engine import choose, new_game, view

    await visitor.connect()
    await visitor.wait_for("New game")
    state = new_game(story, 1)
    await visitor.key("n")
    await visitor.wait_for(opening(story, state.scene))
    await started.wait()  # every session is up before any key is timed
    await asyncio.sleep(rng.uniform(0, 2))
    for _ in range(keys):
        v = view(story, state)
        if v.ending is not None or not v.available:
            break
        choice = rng.choice(v.available)
        nxt = choose(story, state, choice.id)
        if view(story, nxt).ending is not None:
            break
        began = time.perf_counter()
        await visitor.key(str(choice.number))
        await visitor.wait_for(opening(story, nxt.scene), timeout=30)
        visitor.latencies.append(time.perf_counter() - began)
        state = nxt
        await asyncio.sleep(rng.uniform(1.0, 3.0))  # reading the scene


@dataclass
class Level:
    sessions: int
    latencies: list[float]
    hwm_mib: float  # median peak RSS of a game process
    pss_mib: float  # median PSS of a game process
    server_mib: float  # the server process's own RSS
    load: tuple[float, float, float]

    def p(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000


async def run_level(server: Server, story, sessions: int, keys: int) -> Level:
    import secrets

    visitors = [Visitor(server.url, secrets.token_hex(16)) for _ in range(sessions)]
    barrier = asyncio.Barrier(sessions)
    await asyncio.gather(*(playthrough(v, story, keys, random.Random(n), barrier) for n, v in enumerate(visitors)))
    games = server.games()
    mem = [memory_kib(pid) for pid in games]
    server_mem = memory_kib(server.process.pid)
    load = os.getloadavg()
    for v in visitors:
        await v.close()
    for _ in range(600):  # every game autosaves and exits before the next level
        if not server.games():
            break
        await asyncio.sleep(0.05)
    return Level(
        sessions, [t for v in visitors for t in v.latencies],
        statistics.median(m.get("VmHWM", 0) for m in mem) / 1024,
        statistics.median(m.get("Pss", 0) for m in mem) / 1024,
        server_mem.get("VmRSS", 0) / 1024, load,
    )


async def bare_memory(data: str) -> float:
    """Peak RSS (MiB) of a bare Textual app served the same way, at its first frame and a second on."""
    server = Server([sys.executable, "-c", BARE_SERVED], data)
    try:
        visitor = Visitor(server.url, "0" * 32)
        await visitor.connect()
        await visitor.wait_for("Hello")
        await asyncio.sleep(1.0)
        (pid,) = server.games()
        hwm = memory_kib(pid)["VmHWM"] / 1024
        await visitor.close()
        return hwm
    finally:
        server.stop()


def measure(levels: tuple[int, ...], keys: int) -> tuple[float, list[Level]]:
    from game.serve.visitors import game_command
    from game.story.loader import load_story

    story = load_story(ROOT / "scenes")
    with tempfile.TemporaryDirectory() as data:
        bare = statistics.median(asyncio.run(bare_memory(data)) for _ in range(3))
        server = Server(game_command(str(ROOT / "scenes")) + ["--seed", "1"], data)
        try:
            results = [asyncio.run(run_level(server, story, n, keys)) for n in levels]
        finally:
            server.stop()
    return bare, results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="1,10,25", help="concurrent sessions, comma separated")
    parser.add_argument("--keys", type=int, default=12, help="timed keys per session (default 12)")
    args = parser.parse_args()
    print(f"load before: {os.getloadavg()}")
    bare, levels = measure(tuple(int(n) for n in args.levels.split(",")), args.keys)
    print(f"bare Textual app served: peak RSS {bare:.1f} MiB")
    for level in levels:
        print(f"{level.sessions:>3} sessions: {len(level.latencies)} keys, median {level.p(0.5):.1f} ms, "
              f"p95 {level.p(0.95):.1f} ms; game peak RSS {level.hwm_mib:.1f} MiB ({level.hwm_mib / bare:.2f}x), "
              f"PSS {level.pss_mib:.1f} MiB; server {level.server_mib:.1f} MiB; load {level.load}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
