"""crash.log (issue 10, finding 8): never through a symbolic link, never blocking on a FIFO, never
into a file that is not a plain file of ours; writing it never keeps the game from exiting."""

from __future__ import annotations

import io
import os
import tempfile
import threading
from pathlib import Path

import pytest

from game import crash

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX file types")


@pytest.fixture
def folders(tmp_path: Path, monkeypatch) -> tuple[Path, Path]:
    """(save folder, temp folder): the log's two candidate places, both under tmp_path."""
    saves, temp = tmp_path / "saves", tmp_path / "tmp"
    saves.mkdir()
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    return saves, temp


def _boom() -> BaseException:
    try:
        raise RuntimeError("kaboom \x1b]0;PWNED\x07")
    except RuntimeError as exc:
        return exc


def _within(seconds: float, fn):
    """fn() in a thread; fails (instead of hanging the suite) when it does not return in time."""
    result: list = []
    worker = threading.Thread(target=lambda: result.append(fn()), daemon=True)
    worker.start()
    worker.join(seconds)
    return worker.is_alive(), result


def test_a_symlink_in_place_of_the_log_is_not_followed(folders, tmp_path):
    saves, temp = folders
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (saves / "crash.log").symlink_to(victim)
    where = crash.write_log(_boom(), saves)
    assert victim.read_text() == "precious\n"
    assert where == temp / "crash.log" and "kaboom" in where.read_text()


def test_a_fifo_in_place_of_the_log_does_not_block(folders):
    saves, temp = folders
    fifo = saves / "crash.log"
    os.mkfifo(fifo)
    hung, result = _within(5, lambda: crash.write_log(_boom(), saves))
    if hung:  # let the blocked writer go, then fail
        os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))
        pytest.fail("writing crash.log blocked on a FIFO")
    assert result == [temp / "crash.log"]


def test_a_fifo_with_a_reader_gets_nothing(folders):
    saves, _temp = folders
    fifo = saves / "crash.log"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        hung, _result = _within(5, lambda: crash.write_log(_boom(), saves))
        assert not hung
        try:
            data = os.read(reader, 100)
        except BlockingIOError:
            data = b""
        assert data == b""  # nothing was written into the pipe
    finally:
        os.close(reader)


def test_a_second_name_of_another_file_is_not_written(folders, tmp_path):
    saves, temp = folders
    other = tmp_path / "notes.txt"
    other.write_text("mine\n")
    os.link(other, saves / "crash.log")
    assert crash.write_log(_boom(), saves) == temp / "crash.log"
    assert other.read_text() == "mine\n"


def test_the_log_holds_no_raw_control_characters_and_stays_small(folders):
    saves, _temp = folders
    log = saves / "crash.log"
    log.write_bytes(b"x" * (crash.MAX_LOG_BYTES + 1))
    assert crash.write_log(_boom(), saves) == log
    text = log.read_text()
    assert len(text) < crash.MAX_LOG_BYTES and "\x1b" not in text and "\\x1b]0;PWNED" in text


def test_the_report_is_a_sentence_even_when_no_log_can_be_written(folders, monkeypatch):
    saves, temp = folders
    for folder in (saves, temp):
        (folder / "crash.log").mkdir()  # a folder in the way, in both places
    message = crash.report(_boom(), saves)
    assert message.startswith("Sorry, The Thaw stopped because of an unexpected error (RuntimeError: kaboom")
    assert "\x1b" not in message and "\x07" not in message and "details" not in message


def test_the_plain_game_exits_at_once_when_the_log_is_a_fifo(folders, mini, monkeypatch):
    from game import plain

    saves, _temp = folders
    os.mkfifo(saves / "crash.log")
    os.mkfifo(folders[1] / "crash.log")  # the temp folder too: nowhere to write the log

    def explode(self, load_slot=None):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(plain.PlainGame, "run", explode)
    err = io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    hung, result = _within(5, lambda: plain.run_plain(mini, seed=1, saves_dir=str(saves), stdin=io.StringIO(""),
                                                       stdout=io.StringIO()))
    if hung:
        for folder in folders:
            os.close(os.open(folder / "crash.log", os.O_RDONLY | os.O_NONBLOCK))
        pytest.fail("the game hung on exit")
    assert result == [1] and "Sorry, The Thaw stopped" in err.getvalue()
