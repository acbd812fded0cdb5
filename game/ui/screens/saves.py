"""The Load and Save screens over the save store.

Every text that comes from a save file or from the player (labels, slot names, damage reasons,
error messages quoting them) is shown as plain text, never as Textual markup.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Footer, Input, OptionList, Static

from game import saving
from game.saves import MAX_LABEL, SaveError, format_saved_at, normalize_slot, slot_title
from game.ui.literal import Literal
from game.ui.screens.base import GameModal, OnceModal, Panel
from game.ui.widgets.slots import NEW_SLOT, SlotList, SlotRow, chapter_text

NUMBERED = tuple(str(n) for n in range(1, 10))


def holds(info) -> str:
    """What a slot holds, in a sentence for a question: 'Slot 3 holds “x”, Chapter 1: …, saved …'."""
    parts = [f"\u201c{info.label}\u201d"] if info.label else []
    parts += [p for p in (chapter_text(info), info.date_text) if p]
    parts.append(f"saved {format_saved_at(info.saved_at)}")
    return f"{info.title} holds " + ", ".join(parts)


class _SlotsScreen(GameModal):
    """What the Save and Load screens share: the list, the info line under it, the store."""

    def info_line(self, text: str, *, error: bool = False) -> None:
        if not self.is_open:  # a confirmation answered after the screen was closed
            return
        line = self.query_one("#saves-info", Literal)
        line.update(text)
        line.set_class(error, "error")

    def confirm(self, title: str, text: str, then) -> None:
        from game.ui.screens.message import ConfirmScreen

        self.app.push_screen(ConfirmScreen(title, text), lambda yes: then() if yes else None)


# ---- load ------------------------------------------------------------------------------------------


class LoadScreen(_SlotsScreen):
    """Every save, newest first, one row each. Enter loads; a damaged save whose backup is good
    offers the backup (b loads it, r puts it back in place); d or Delete deletes a slot."""

    BINDINGS = [
        Binding("b", "load_backup", "Load backup"),
        Binding("r", "restore_backup", "Restore backup"),
        Binding("d", "delete", "Delete"),
        Binding("delete", "delete", "Delete", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Panel("Load", classes="panel saves", id="load-panel"):
            yield SlotList(story_id=self.game.story.info.id, id="slots")
            yield Literal("", id="saves-info", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        self._said_for: str | None = None  # the slot highlighted when the info line was last set
        self.reload()

    def reload(self, keep: str | None = None) -> None:
        """(Re)list the slots, highlighting `keep` if it is still there."""
        if not self.is_open:
            return
        store = self.game.store
        menu = self.query_one("#slots", SlotList)
        if store is None:
            menu.display = False
            self.info_line(saving.UNAVAILABLE)
            return
        try:
            infos = saving.infos(store)
        except Exception as exc:  # noqa: BLE001 - an unreadable folder says why
            menu.display = False
            menu.show([])
            self.info_line(saving._one_line(exc), error=True)
            return
        if not infos:
            menu.display = False
            menu.show([])
            self.info_line("There are no saved games yet.")
            self.refresh_bindings()
            return
        rows = [SlotRow(i.name, i.title, i) for i in infos]
        menu.display = True
        menu.show(rows)
        at = menu.index_of(keep) if keep else None
        if at is None:
            at = next((k for k, r in enumerate(rows) if self._loadable(r)), 0)
        menu.highlighted = at
        self.describe(rows[at])
        menu.focus()
        self.refresh_bindings()

    def _loadable(self, row: SlotRow) -> bool:
        info = row.info
        return info is not None and not info.damaged and info.story_id in ("", self.game.story.info.id)

    @property
    def current(self) -> SlotRow | None:
        if not self.is_open:
            return None
        menu = self.query_one("#slots", SlotList)
        return menu.current if menu.display else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.takes_keys:
            return False
        if action in ("load_backup", "restore_backup"):
            row = self.current
            return bool(row and row.info and row.info.damaged and row.info.backup_ok)
        if action == "delete":
            return self.current is not None
        return True

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.refresh_bindings()
        row = self.current
        if row is not None and row.slot != self._said_for:
            self.describe(row)

    def say(self, text: str, *, error: bool = False) -> None:
        """A message about what just happened; it stays until another slot is highlighted."""
        self.info_line(text, error=error)
        row = self.current
        self._said_for = row.slot if row is not None else None

    def describe(self, row: SlotRow) -> None:
        """The info line for the highlighted slot: what Enter, b, r and d will do."""
        self._said_for = row.slot
        info = row.info
        if info is None:
            return
        if info.damaged:
            if info.backup_ok:
                self.info_line(f"{info.title} is damaged: b loads its backup, r restores the backup.")
            else:
                self.info_line(f"{info.title} is damaged and has no usable backup; d deletes it.", error=True)
        elif not self._loadable(row):
            self.info_line(f"{info.title} is a save of another story ({info.story_title or info.story_id}).")
        else:
            self.info_line("Enter loads the highlighted game; Esc goes back.")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        row = self.current
        if row is None or row.info is None:
            return
        info = row.info
        if info.damaged:
            if info.backup_ok:
                self.app.push_screen(BackupScreen(info.title, info.damaged), self._backup_chosen)
            else:
                self.say(
                    f"{info.title} holds a damaged save ({info.damaged}) and has no usable backup. "
                    "d deletes it.",
                    error=True,
                )
            return
        if not self._loadable(row):
            self.say(f"{info.title} belongs to another story and cannot be loaded here.", error=True)
            return
        self._load(row.slot)

    def _backup_chosen(self, choice: str | None) -> None:
        if choice == "load":
            self.action_load_backup()
        elif choice == "restore":
            self.action_restore_backup()

    def _load(self, slot: str, *, backup: bool = False) -> None:
        loaded = self.game.read_save(slot, backup=backup)
        if loaded.state is None:  # changed on disk since it was listed
            self.reload(keep=slot)
            self.say(loaded.message, error=True)
            return
        self.game.start_loaded(loaded)  # closes this screen with the others

    def action_load_backup(self) -> None:
        row = self.current
        if row is not None and row.info is not None and row.info.damaged and row.info.backup_ok:
            self._load(row.slot, backup=True)

    def action_restore_backup(self) -> None:
        row = self.current
        if row is None or row.info is None or not (row.info.damaged and row.info.backup_ok):
            return
        done, message = saving.restore_backup(self.game.store, row.slot)
        self.reload(keep=row.slot)
        self.say(message, error=not done)

    def action_delete(self) -> None:
        row = self.current
        if row is None or row.info is None:
            return
        info = row.info
        what = f"{info.title} holds a damaged save" if info.damaged else holds(info)
        slot = row.slot

        def delete() -> None:
            done, message = saving.delete(self.game.store, slot)
            self.reload(keep=None if done else slot)
            if self.current is None and done:
                message += " There are no saved games now."
            self.say(message, error=not done)

        self.confirm(
            f"Delete {info.title}?",
            f"{what}. Delete it and its backup? This cannot be undone.",
            delete,
        )


class BackupScreen(OnceModal[str | None]):
    """A damaged save whose backup is good: load the backup, put it back in place, or neither."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("b", "choose('load')", "Load backup"),
        Binding("r", "choose('restore')", "Restore backup"),
    ]

    def __init__(self, title: str, reason: str) -> None:
        super().__init__()
        self.slot_title = title
        self.reason = reason

    def compose(self) -> ComposeResult:
        with Panel("Damaged save", classes="panel message backup"):
            yield Literal(
                f"{self.slot_title} holds a damaged save: {self.reason}.\n\n"
                "Its backup (the save before it) is good. Load the backup to play from it, or "
                "restore it to put it back in the slot (the damaged file is kept beside it).",
                classes="message-text",
            )
            with Horizontal(classes="buttons"):
                yield Button("Load backup", id="load", variant="primary")
                yield Button("Restore backup", id="restore")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#load", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None if event.button.id == "cancel" else event.button.id)

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

    def action_cancel(self) -> None:
        self.dismiss(None)


# ---- save ------------------------------------------------------------------------------------------


class SaveScreen(_SlotsScreen):
    """Slots 1-9 with what they hold, named slots, and "New named slot…"; a label above them.
    Asks before replacing a save, and again, explicitly, before replacing a damaged one."""

    def compose(self) -> ComposeResult:
        with Panel("Save", classes="panel saves", id="save-panel"):
            with Horizontal(id="label-row"):
                yield Static("Label", id="label-caption")
                yield Input(id="save-label", max_length=MAX_LABEL, compact=True,
                            placeholder="optional: a few words to recognise it by")
            yield SlotList(story_id=self.game.story.info.id, id="slots")
            yield Input(id="slot-name", max_length=40, compact=True,
                        placeholder="a name: letters, digits, spaces, - and _ (Enter saves)")
            yield Literal("", id="saves-info", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        state = self.game.state
        self.query_one("#save-label", Input).value = saving.default_label(self.game.story, state) if state else ""
        self.query_one("#slot-name", Input).display = False
        self.infos: dict[str, object] = {}
        store = self.game.store
        menu = self.query_one("#slots", SlotList)
        if store is None:
            self.query_one("#label-row").display = False
            menu.display = False
            self.info_line(saving.UNAVAILABLE)
            return
        problem = ""
        try:
            self.infos = {i.name: i for i in store.list()}
        except Exception as exc:  # noqa: BLE001 - an unreadable folder: the numbered slots, and why
            problem = saving._one_line(exc)
        rows = [SlotRow(name, slot_title(name), self.infos.get(name)) for name in NUMBERED]
        rows += [SlotRow(i.name, i.title, i) for i in self.infos.values() if i.kind == "named"]
        rows.append(SlotRow(NEW_SLOT, "New named slot\u2026"))
        menu.show(rows, next((k for k, name in enumerate(NUMBERED) if name not in self.infos), 0))
        if problem:
            self.info_line(problem, error=True)
        else:
            self.info_line("Enter saves in the highlighted slot; Tab edits the label; Esc goes back.")
        menu.focus()

    @property
    def label(self) -> str:
        return self.query_one("#save-label", Input).value

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        slot = event.option.id
        if slot == NEW_SLOT:
            self._open_name()
        elif slot:
            self.choose(slot)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "slot-name":
            try:
                name = normalize_slot(event.value)
            except SaveError as exc:
                self.info_line(str(exc), error=True)
                return
            self.choose(name)
        else:  # Enter in the label: save in the highlighted slot
            row = self.query_one("#slots", SlotList).current
            if row is None or row.slot == NEW_SLOT:
                self._open_name()
            else:
                self.choose(row.slot)

    def _open_name(self) -> None:
        name = self.query_one("#slot-name", Input)
        name.display = True
        name.focus()
        self.info_line("Type a name for the new slot and press Enter; Esc goes back.")

    def choose(self, slot: str) -> None:
        """Save in `slot`, asking first when it holds a save (damaged or not)."""
        try:
            info = self.game.store.info(slot)
        except SaveError:
            info = None  # an invalid name: saving says why
        except Exception:  # noqa: BLE001
            info = None
        if info is None:
            self.save(slot)
        elif info.damaged:
            self.ask_damaged(info.title, info.damaged, info.backup_ok, slot)
        else:
            self.confirm(
                f"Overwrite {info.title}?",
                f"{holds(info)}. Replace it with this game? (The save it holds now is kept as its backup.)",
                lambda: self.save(slot),
            )

    def ask_damaged(self, title: str, reason: str, backup_ok: bool, slot: str) -> None:
        backup = (
            "Its backup (the save before it) is kept." if backup_ok else "It has no usable backup: that save will be lost."
        )
        self.confirm(
            "Replace a damaged save?",
            f"{title} holds a damaged save ({reason}). Replace it with this game? {backup}",
            lambda: self.save(slot, overwrite_damaged=True),
        )

    def save(self, slot: str, *, overwrite_damaged: bool = False) -> None:
        result = self.game.write_save(slot, label=self.label, overwrite_damaged=overwrite_damaged, quick=False)
        if result.done:
            self.dismiss(None)
            self.app.notify(result.message, title="Saved", timeout=4, markup=False)
        elif result.damaged is not None and not overwrite_damaged:
            self.ask_damaged(slot_title(result.slot or slot), result.damaged, result.backup_ok, slot)
        else:
            self.info_line(result.message, error=True)
