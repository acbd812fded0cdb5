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


def game_commands(run) -> list[tuple[str, str, object]]:
    """(name, help, callback) of every action of the game; `run` is the app's run_action."""
    return [
        ("New game", "Start the story from the beginning", lambda: run("new_game")),
        ("Continue", "Load the newest saved game", lambda: run("continue")),
        ("Load", "Load a saved game", lambda: run("load")),
        ("Save", "Save the game in a slot", lambda: run("save")),
        ("Quicksave", "Save the game in the quicksave slot (F5)", lambda: run("quicksave")),
        ("Quickload", "Load the quicksave (F9)", lambda: run("quickload")),
        ("Undo", "Take back the last choice", lambda: run("undo")),
        ("History note", "What actually happened, with sources", lambda: run("history")),
        ("Journal", "Your decisions beside the documented events", lambda: run("journal")),
        ("Story so far", "Every scene of this game as you read it, and what you chose", lambda: run("story_so_far")),
        ("Codex", "People, places, terms and the bibliography", lambda: run("codex")),
        ("Endings", "The endings found, and hints for the others", lambda: run("endings")),
        ("Status panel", "Show or hide your stats and the people around you", lambda: run("toggle_sidebar")),
        ("Settings", "Notices, skipping scenes read before, the colour theme", lambda: run("settings")),
        ("Help", "Every key of the game", lambda: run("help")),
        ("Menu", "Save, load, settings, title screen, quit", lambda: run("menu")),
        ("Title screen", "Leave this game for the title screen", lambda: run("title")),
        ("Quit", "Leave The Thaw", lambda: run("quit")),
    ]
