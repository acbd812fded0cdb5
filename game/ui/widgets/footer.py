"""A footer that fits: on a narrow terminal it leaves out the keys a screen can spare.

Textual's footer cuts off whatever does not fit, so at 60 columns "? Help" fell off the end of the
play screen's. This one measures its keys first and drops those the screen lists in
`FOOTER_OPTIONAL` (in that order), then any other from the right but the last: Help stays.
Every key still works; the help screen (?) lists them all.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


def _width(key: FooterKey) -> int:
    """Cells a compact key takes: 'key description' and its right margin."""
    return len(key.key_display) + (1 + len(key.description) if key.description else 0) + 1


def fit(keys: list[FooterKey], width: int, optional: tuple[str, ...]) -> list[FooterKey]:
    """The keys to show in `width` cells: the optional ones go first, then others from the right
    (never the last one)."""
    keys = list(keys)
    for action in optional:
        if sum(_width(k) for k in keys) <= width:
            break
        keys = [k for k in keys if k.action != action]
    while len(keys) > 1 and sum(_width(k) for k in keys) > width:
        del keys[-2]
    return keys


class KeyFooter(Footer):
    """The game's footer (always compact, without Textual's palette key: Help lists ctrl+p)."""

    def __init__(self) -> None:
        super().__init__(compact=True, show_command_palette=False)
        self._fitted_to = 0

    def compose(self):
        keys = list(super().compose())
        width = self.app.size.width
        self._fitted_to = width
        yield from fit(keys, width, getattr(self.screen, "FOOTER_OPTIONAL", ()))

    def on_resize(self, event: events.Resize) -> None:
        if self.app.size.width != self._fitted_to and self._bindings_ready:
            self.call_after_refresh(self.recompose)
