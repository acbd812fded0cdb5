"""Test helpers: what the game writes to the terminal, and what on screen can be clicked.

:class:`CaptureDriver` is Textual's headless driver made to render: every byte the app would send
to a real terminal is kept in ``WRITES``. :func:`foreign_bytes` removes the driver's own control
sequences (cursor moves, colours, synchronized output, the pointer shape, a bell) and returns
whatever control characters are left: those could only have come from story or save text.
"""

from __future__ import annotations

import re

from textual import events
from textual.drivers.headless_driver import HeadlessDriver

#: the sequences Textual itself writes: SGR colours (m), cursor moves (H), private modes such as
#: synchronized output (?2026h / ?2026l), and the pointer shape (OSC 22, ended by BEL)
_DRIVER_OWN = re.compile(r"\x1b\[[0-9;:]*[mH]|\x1b\[\?[0-9;]+[hl]|\x1b\]22;[a-z-]+\x07")
#: what must never reach the terminal from anywhere else: ESC, BEL and every other C0 control but
#: line feed and carriage return, DEL, C1 controls, direction overrides and isolates
FOREIGN = re.compile(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class CaptureDriver(HeadlessDriver):
    """A headless driver that renders: the app's output goes to ``writes`` instead of a terminal."""

    writes: list[str] = []

    @property
    def is_headless(self) -> bool:
        return False  # so the app renders every frame and writes it here

    def write(self, data: str) -> None:
        type(self).writes.append(data)

    def flush(self) -> None:
        pass


def foreign_bytes(writes: list[str]) -> list[str]:
    """Control characters in the output that the driver did not write itself (with context)."""
    found = []
    for data in writes:
        if data == "\x07":  # app.bell(): the driver's own bell, written on its own
            continue
        rest = _DRIVER_OWN.sub("", data)
        for m in FOREIGN.finditer(rest):
            found.append(repr(rest[max(0, m.start() - 20): m.end() + 20]))
    return found


#: characters of the key names that are not one character long
_KEY_CHARACTERS = {"left_square_bracket": "[", "slash": "/", "question_mark": "?", "space": " "}


def queue_keys(app, *names: str) -> None:
    """Queue keys on the app all at once, as the driver does for one read of the terminal: unlike
    Pilot.press, which waits for the app to settle after each key, a key arrives while the screen
    the previous one opened is still being mounted or the one it closed is still being dismissed."""
    for name in names:
        event = events.Key(name, _KEY_CHARACTERS.get(name, name if len(name) == 1 else None))
        event.set_sender(app)
        app.post_message(event)


def clickable_actions(app) -> list[str]:
    """Every ``@click`` action on the current screen (markup read from data would make some)."""
    actions = []
    for line in app.screen._compositor.render_full_update().strips:
        for strip in line:
            for segment in strip:
                meta = segment.style.meta if segment.style is not None else {}
                if "@click" in meta:
                    actions.append(str(meta["@click"]))
    return actions


def screen_text(app) -> str:
    update = app.screen._compositor.render_full_update()
    return "\n".join("".join(segment.text for segment in line) for line in update.strips)


async def settle(pilot) -> None:
    """Let the screen finish what a key started: its workers, then one more refresh."""
    await pilot.pause()
    if pilot.app.workers:
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def squashed(text: str) -> str:
    """`text` without white space and box-drawing characters: wrapped lines compare as one."""
    return re.sub(r"[\s\u2500-\u259f]", "", text)


def on_screen(app, text: str) -> bool:
    """Whether `text` is on screen, however it was wrapped."""
    return squashed(text) in squashed(screen_text(app))
