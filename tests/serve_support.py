"""A real `thaw serve` on a free local port, for the server and browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Served:
    """A `thaw serve` process on 127.0.0.1 and a free port, with its data folder."""

    def __init__(self, data: Path, *args: str) -> None:
        self.data = data
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = data.parent / f"serve-{self.port}.log"
        self._log_file = self.log.open("wb")
        # the server's own save and temp folders: a game that wrote anything there would share it
        self.shared = [data.parent / "server-saves", data.parent / "server-tmp"]
        for folder in self.shared:
            folder.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "COLUMNS": "200", "THAW_SAVES": str(self.shared[0]), "TMPDIR": str(self.shared[1])}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "game", "serve", "--port", str(self.port), "--data", str(data), *args],
            cwd=ROOT, stdout=self._log_file, stderr=subprocess.STDOUT, env=env,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"thaw serve did not start:\n{self.log.read_text()}")

    def games(self) -> list[int]:
        """The pids of the server's running game processes (its children)."""
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    pids.append(int(entry.name))
        return pids

    def shared_files(self) -> list[Path]:
        """Anything in the server's own save or temp folder."""
        return [path for folder in self.shared for path in folder.rglob("*")]

    def visitors(self) -> list[Path]:
        folder = self.data / "visitors"
        return sorted(folder.iterdir()) if folder.is_dir() else []

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log_file.close()


def wait_for(condition, timeout: float = 15.0, what: str = "condition"):
    """Poll `condition` until it is truthy (its value) or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"timed out after {timeout:g} s waiting for {what}")
