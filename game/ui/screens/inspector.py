"""The writer's state inspector (`thaw play --dev` or `--watch`, key i): every stat and flag of
the game, editable, the visit counts, and a jump to any scene.

The panel only gathers what the writer typed; the change is made by the session through the
engine's own rules (game.story.engine.adjust: declared names, stats clamped into their range, a
jump counted as a visit), so the inspector can put the game in no state a story could not hold.
Names and labels come from story files: they are shown as plain text, never as markup.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from game.ui.literal import Literal, literal
from game.ui.screens.base import OnceModal, Panel


def _stat_input_id(name: str) -> str:
    return f"stat-{name}"


class InspectorScreen(OnceModal[None]):
    """Stats as number fields, flags as a list to tick, visits, and a scene to jump to."""

    DEFAULT_CSS = """
    InspectorScreen { align: center middle; background: $background 70%; }
    InspectorScreen .inspector { max-width: 100; }
    InspectorScreen #inspector-body { height: 1fr; }
    InspectorScreen .inspector-row { height: 1; }
    InspectorScreen .inspector-name { width: 24; }
    InspectorScreen Input { padding: 0 1; }
    InspectorScreen Input:focus { background: $primary 40%; }
    InspectorScreen .inspector-value { width: 8; margin-right: 2; }
    InspectorScreen #inspector-jump { width: 48; }
    InspectorScreen SelectionList { height: auto; max-height: 12; }
    InspectorScreen #inspector-problem { height: auto; color: $text-error; }
    InspectorScreen .buttons { height: 1; margin-top: 1; }
    """
    BINDINGS = [
        Binding("escape", "close", "Cancel"),
        Binding("ctrl+s", "apply", "Apply", priority=True),
    ]

    def compose(self) -> ComposeResult:
        session = self.app.session  # type: ignore[attr-defined]
        story, state = session.story, session.state
        with Panel("State inspector", classes="panel inspector", id="inspector-panel"):
            with VerticalScroll(id="inspector-body", classes="panel-body"):
                yield Literal(f"Scene {state.scene}, turn {state.turn}. Changes go through the engine's rules "
                              "(stats are clamped into their range); u undoes them like a choice.",
                              id="inspector-intro", classes="muted")
                yield Static("Stats", classes="section")
                for name, stat in story.stats.items():
                    with Horizontal(classes="inspector-row"):
                        yield Label(literal(name), classes="inspector-name")
                        yield Input(str(state.stats.get(name, stat.start)), type="integer", compact=True,
                                    id=_stat_input_id(name), classes="inspector-value")
                        yield Label(literal(f"{stat.min}..{stat.max}  {stat.label}"), classes="muted")
                yield Static("Flags (space ticks or unticks)", classes="section")
                if story.flags:
                    yield SelectionList[str](
                        *(Selection(flag_prompt(name, bool(state.flags.get(name, False))), name,
                                    bool(state.flags.get(name, False))) for name in story.flags),
                        id="inspector-flags", compact=True)
                else:
                    yield Static("The story declares no flags.", classes="muted")
                yield Static("Jump to a scene (Tab or → completes; empty: stay here)", classes="section")
                yield Input(placeholder=state.scene, id="inspector-jump", compact=True,
                            suggester=SuggestFromList(list(story.scenes), case_sensitive=False))
                yield Static("Visits", classes="section")
                yield Literal(visits_text(state.visits), id="inspector-visits")
            yield Literal("", id="inspector-problem")
            with Horizontal(classes="buttons"):
                yield Button("Apply (ctrl+s)", id="apply", variant="primary", compact=True)
                yield Button("Cancel (Esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        first = next(iter(self.query(".inspector-value").results(Input)), None)
        (first or self.query_one("#inspector-jump", Input)).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "apply":
            self.action_apply()
        else:
            self.dismiss(None)

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        """Say true or false in words beside each flag, not by colour alone."""
        flags = event.selection_list
        ticked = set(flags.selected)
        for index in range(flags.option_count):
            name = flags.get_option_at_index(index).value
            flags.replace_option_prompt_at_index(index, flag_prompt(name, name in ticked))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_apply()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_apply(self) -> None:
        """Read the fields, and let the app make the change; a problem stays on the panel."""
        if not self.is_open:  # a click or an Enter that arrives after the panel was closed
            return
        try:
            values, scene = self.requested()
        except ValueError as exc:
            self.problem(str(exc))
            return
        message = self.app.apply_inspection(values, scene)  # type: ignore[attr-defined]
        if message:
            self.problem(message)
        else:
            self.dismiss(None)

    def requested(self) -> tuple[dict[str, int | bool], str | None]:
        """The stats and flags the writer changed, and the scene to jump to (None: stay)."""
        session = self.app.session  # type: ignore[attr-defined]
        story, state = session.story, session.state
        values: dict[str, int | bool] = {}
        for name, stat in story.stats.items():
            raw = self.query_one(f"#{_stat_input_id(name)}", Input).value.strip()
            try:
                value = int(raw)
            except ValueError:
                raise ValueError(f"{name}: give a whole number from {stat.min} to {stat.max}") from None
            if value != state.stats.get(name):
                values[name] = value
        for flags in self.query("#inspector-flags").results(SelectionList):
            ticked = set(flags.selected)
            for name in story.flags:
                if (name in ticked) != bool(state.flags.get(name, False)):
                    values[name] = name in ticked
        jump = self.query_one("#inspector-jump", Input).value.strip()
        if jump and jump not in story.scenes:
            raise ValueError(f"there is no scene '{jump}' in this story")
        return values, (jump if jump and jump != state.scene else None)

    def problem(self, message: str) -> None:
        self.query_one("#inspector-problem", Literal).update(literal(message, "bold"))
        self.app.bell()


def flag_prompt(name: str, value: bool) -> Content:
    return literal(f"{name} = {'true' if value else 'false'}")


def visits_text(visits: dict[str, int]) -> str:
    """One line per scene visited, in the order first reached: the count, then the scene."""
    if not visits:
        return "No scene visited yet."
    return "\n".join(f"{count:>4}  {scene}" for scene, count in visits.items())


def describe_change(before: Any, after: Any, jumped: bool) -> str:
    """What an inspection changed, in one line ('standing 8 -> 12, kept_letter on, at m_night')."""
    parts = [f"{k} {before.stats[k]} -> {v}" for k, v in after.stats.items() if before.stats.get(k) != v]
    parts += [f"{k} {'on' if v else 'off'}" for k, v in after.flags.items() if before.flags.get(k) != v]
    if jumped:
        parts.append(f"now at {after.scene}")
    return ", ".join(parts) or "nothing changed"
