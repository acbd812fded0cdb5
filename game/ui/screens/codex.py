"""The codex (c): people, places and terms met so far, and the bibliography; with a filter.

It opens at the entry the prose named last, with the filter taking what is typed at once (the
arrows still move through the list). An entry shows the passages that hold in the game played.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Input
from textual.widgets.option_list import Option

from game.reading import CODEX_KINDS, bibliography, citations, codex_entries, codex_text
from game.ui.literal import Literal, literal, option, rich_literal
from game.ui.screens.base import GameModal, Panel
from game.ui.widgets.options import OptionList
from game.ui.widgets.prose import Prose, inline

BIBLIOGRAPHY = "__bibliography__"


class CodexScreen(GameModal):
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("ctrl+f", "focus_filter", "Filter"),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Panel("Codex", classes="panel codex", id="codex-panel"):
            yield Input(placeholder="Filter: type a name or a word", id="codex-filter")
            with Horizontal(id="codex-main"):
                yield OptionList(id="codex-list")
                with VerticalScroll(id="codex-detail", can_focus=False):
                    yield Literal("", id="codex-name")
                    yield Prose("", id="codex-text")
                    yield Literal("", id="codex-sources")
            yield Literal("", id="codex-count", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        self.known = self.game.known_codex()
        session = self.game.session
        self.rebuild("", at=session.newest_codex if session is not None else None)
        self.query_one("#codex-filter", Input).focus()

    def rebuild(self, query: str, at: str | None = None) -> None:
        """List the entries `query` matches, highlighting `at` (else the first)."""
        story = self.game.story
        groups = codex_entries(story, self.known, query)
        options: list[Option | None] = []
        for kind, title in CODEX_KINDS:
            if groups[kind]:
                options.append(option(literal(title.upper(), "bold"), disabled=True))
                options.extend(option(f"  {entry.name}", id=entry.id) for entry in groups[kind])
        cites = bibliography(story, query)
        if cites:
            options.append(option(literal("SOURCES", "bold"), disabled=True))
            options.append(option(f"  Bibliography ({len(cites)})", id=BIBLIOGRAPHY))
        menu = self.query_one("#codex-list", OptionList)
        menu.set_options(options)
        first = next((k for k, o in enumerate(options) if o is not None and not o.disabled), None)
        chosen = next((k for k, o in enumerate(options) if o is not None and at and o.id == at), first)
        menu.highlighted = chosen
        found = sum(len(v) for v in codex_entries(story, self.known).values())
        shown = sum(len(v) for v in groups.values())
        count = f"{found} of {len(story.codex)} entries found"
        if query.strip():
            count = f"{shown} match '{query.strip()}' · {count}"  # the player's query: shown as typed
        self.query_one("#codex-count", Literal).update(count)
        if first is None:
            self.show_entry(None, query)

    def show_entry(self, entry_id: str | None, query: str = "") -> None:
        story = self.game.story
        name = self.query_one("#codex-name", Literal)
        text = self.query_one("#codex-text", Prose)
        sources = self.query_one("#codex-sources", Literal)
        if entry_id == BIBLIOGRAPHY:
            cites = bibliography(story, self.query_one("#codex-filter", Input).value)
            name.update(literal("Bibliography", "bold"))
            text.show("The works the story and its history notes draw on.")
            body = Text()
            for k, cite in enumerate(cites):
                if k:
                    body.append("\n\n")
                body.append_text(inline(cite.cite))
                if cite.url:
                    body.append_text(rich_literal(f"\n{cite.url}", "dim"))
            sources.update(body)
        elif entry_id in story.codex:
            entry = story.codex[entry_id]
            kind = {"person": "Person", "place": "Place", "term": "Term"}[entry.kind]
            heading = Text.assemble(rich_literal(entry.name, "bold"), ("  " + kind, "italic dim"))
            if entry.id == getattr(self.game.session, "newest_codex", None):
                heading.append("  newest", style="italic dim")
            name.update(heading)
            session = self.game.session
            text.show(codex_text(story, entry, session.state if session is not None else None))
            cites = citations(story, entry.sources)
            body = Text()
            if cites:
                body.append("Sources\n", style="bold")
                for cite in cites:
                    body.append("· ")
                    body.append_text(inline(cite.cite))
                    body.append("\n")
            sources.update(body)
        else:
            name.update(literal("Nothing here yet" if not query.strip() else "No match", "bold"))
            text.show(
                "Entries appear as the story mentions people, places and terms."
                if not query.strip()
                else "Nothing found: try another word, or clear the filter."
            )
            sources.update("")
        self.query_one("#codex-detail", VerticalScroll).scroll_home(animate=False)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.rebuild(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#codex-list", OptionList).focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.show_entry(event.option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.show_entry(event.option.id)

    def action_focus_filter(self) -> None:
        self.query_one("#codex-filter", Input).focus()

    def action_move(self, step: int) -> None:
        """↑ ↓ in the filter move through the list (in the list, the list's own keys do)."""
        menu = self.query_one("#codex-list", OptionList)
        if step > 0:
            menu.action_cursor_down()
        else:
            menu.action_cursor_up()

    def action_close(self) -> None:
        self.dismiss(None)
