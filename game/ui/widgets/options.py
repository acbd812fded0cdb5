"""The option list every menu of the game uses: Textual's, safe to page before it is laid out.

Textual's OptionList reads its line table on PgUp/PgDn; before the list has a size (just mounted,
or hidden) the table is empty and the key raised KeyError, which a burst of keys could reach.
"""

from __future__ import annotations

from textual.widgets import OptionList as TextualOptionList


class OptionList(TextualOptionList):
    def _laid_out(self) -> bool:
        return (self.highlighted or 0) in self._index_to_line

    def action_page_down(self) -> None:
        if self._laid_out():
            super().action_page_down()

    def action_page_up(self) -> None:
        if self._laid_out():
            super().action_page_up()


__all__ = ["OptionList"]
