"""The command palette (ctrl+p): every action of the game by name."""

from __future__ import annotations

from textual.command import DiscoveryHit, Hit, Hits, Provider


class GameCommands(Provider):
    """New game, Continue, Load, Save, Undo, History note, Journal, Codex, Settings, Help..."""

    def _commands(self):
        return self.app.game_commands()  # type: ignore[attr-defined]

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
