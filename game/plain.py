"""The plain front end: line-based play for screen readers, pipes and scripts.

It prints and reads lines only (no cursor movement, no redraws), so a screen reader reads it as a
conversation and a script can drive it through a pipe. The same engine runs underneath.
"""

from __future__ import annotations

import shutil
import sys
import textwrap
import time
from typing import TextIO

from game.reading import codex_entries, history_note, plain_inline, plain_paragraphs, scene_mentions, timeline, unlocked_codex
from game.story.engine import ChoiceError, SceneView, choose, new_game, view
from game.story.state import GameState
from game.story.story import Story
from game.text import terminal_text

UNDO_LIMIT = 1000

HELP = """\
Type the number of a choice and press Enter. Commands:
  1-9 ...      take that choice
  undo         take back your last choice (again and again)
  note         the history note: what actually happened, with sources
  journal      your decisions beside the documented events, in date order
  status       where you are, your standing and the people around you
  codex [WORD] the people, places and terms you have met (WORD filters them)
  look         show the scene again
  save [SLOT]  save the game (SLOT: 1-9 or a name; default: the quicksave)
  load [SLOT]  load a saved game (default: the newest of this story);
               load SLOT backup loads the backup of a damaged save
  saves        list the saved games
  delete SLOT  delete a saved game and its backup (asks first)
  restore SLOT put a damaged save's good backup back in its place
  help         this list
  quit         leave the game (also: end of input)"""


class PlainGame:
    def __init__(
        self,
        story: Story,
        *,
        seed: int | None = None,
        saves_dir: str | None = None,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        start: GameState | None = None,
    ) -> None:
        self.story = story
        self.seed = seed
        self.saves_dir = saves_dir
        self.stdin = stdin or sys.stdin
        self.out = stdout or sys.stdout
        self.state: GameState = start if start is not None else new_game(story, seed)
        self.undo_stack: list[GameState] = []
        self.unlocked: set[str] = set()
        self.width = _wrap_width(self.out)
        self._profile = None
        self._store = None
        self._store_checked = False
        self.play_base = 0.0
        self.started = time.monotonic()
        self.autosave_warned = False

    # ---- output ----------------------------------------------------------------------------------

    def say(self, text: str = "") -> None:
        """Every line the plain game prints goes through here: story, save and player text alike
        reach the terminal with control characters shown as escapes (game.text)."""
        self.out.write(terminal_text(text) + "\n")

    def para(self, text: str, indent: str = "") -> None:
        if self.width:
            self.say(textwrap.fill(text, self.width, initial_indent=indent, subsequent_indent=indent))
        else:
            self.say(indent + text)

    def prose(self, markdown: str, indent: str = "") -> None:
        for k, paragraph in enumerate(plain_paragraphs(markdown)):
            if k:
                self.say()
            self.para(paragraph, indent)

    # ---- showing ---------------------------------------------------------------------------------

    def show_scene(self, *, with_result: bool = True) -> SceneView:
        v = view(self.story, self.state)
        result = self.state.last_result if with_result else ""
        self.unlocked |= scene_mentions(self.story, v.text, self.state.last_result)
        if result:
            self.prose(result)
            self.say()
        self.say(f"== {v.header} ==")
        self.say()
        self.prose(v.text)
        self.say()
        if v.ending is None:
            self.show_choices(v)
        return v

    def show_choices(self, v: SceneView) -> None:
        for c in v.choices:
            text = plain_inline(c.text)
            if c.available:
                self.say(f"  {c.number}. {text}")
            else:
                reason = plain_inline(c.locked_reason) or "not available now"
                self.say(f"  {c.number}. [locked] {text} ({reason})")
        if v.is_dead_end:
            self.say("  (There is no way on from here: type undo, load or quit.)")

    def show_ending(self, v: SceneView) -> None:
        ending = v.ending
        assert ending is not None
        self.say(f"*** THE END: {ending.title} ***")
        self.say()
        self.show_status(header=False)
        found, total = self.record_ending()
        self.say()
        self.say(f"Endings found: {found} of {total}")

    def show_status(self, *, header: bool = True) -> None:
        story, state = self.story, self.state
        if header:
            self.say(view(story, state).header)
        meters = [(s.label, state.stats.get(k, s.start), s.max) for k, s in story.stats.items() if s.kind == "meter"]
        if meters:
            self.say("Your standing:")
            for label, value, top in meters:
                self.say(f"  {label}: {value} of {top}")
        people = []
        shown_stats = set()
        for person in story.people.values():
            if person.stat and person.stat in story.stats:
                shown_stats.add(person.stat)
                stat = story.stats[person.stat]
                role = f", {person.role[0].lower()}{person.role[1:]}" if person.role else ""
                people.append(f"  {person.name}{role}: {state.stats.get(person.stat, stat.start)} of {stat.max}")
        for key, stat in story.stats.items():
            if stat.kind == "relationship" and key not in shown_stats:
                people.append(f"  {stat.label}: {state.stats.get(key, stat.start)} of {stat.max}")
        if people:
            self.say("People:")
            for line in people:
                self.say(line)
        self.say(f"Decisions so far: {len(state.journal)}")

    def show_note(self) -> None:
        note = history_note(self.story, self.story.scenes[self.state.scene])
        if note.has_event:
            self.say(f"History note: {note.title}")
            self.say(f"Date: {note.date_text}")
            if note.summary:
                self.say()
                self.prose(note.summary)
            if note.disputed:
                self.say()
                self.para(f"Disputed: {plain_inline(note.disputed)}")
        else:
            self.say(f"History note: {note.title}, {note.date_text}")
            self.say("This scene is not tied to one documented event.")
        if note.sources:
            self.say()
            self.say("Sources:")
            for c in note.sources:
                self.para(f"- {c.cite}" + (f" {c.url}" if c.url else ""), "")

    def show_journal(self) -> None:
        items = timeline(self.story, self.state)
        if not items:
            self.say("The journal is empty.")
            return
        self.say("Journal: your decisions (>) beside the documented events (*), in date order.")
        marked = False
        for item in items:
            if item.ahead and not marked:
                self.say("  -- still ahead of you --")
                marked = True
            if item.kind == "event":
                flag = " [disputed]" if item.disputed else ""
                self.say(f"  * {item.date_text}: {item.title}{flag}")
            else:
                self.say(f"  > {item.date_text}: You chose: {item.title}")
                if item.detail:
                    self.say(f"      {item.detail}")

    def show_codex(self, query: str) -> None:
        found = self.unlocked | unlocked_codex(self.story, self.state)
        groups = codex_entries(self.story, found, query)
        total = sum(len(v) for v in groups.values())
        if not total:
            self.say("No codex entries match." if query else "You have not met anyone or anything in the codex yet.")
            return
        for kind, title in (("person", "People"), ("place", "Places"), ("term", "Terms")):
            if groups[kind]:
                self.say(f"{title}:")
                for entry in groups[kind]:
                    self.para(f"- {entry.name}: {plain_inline(entry.text.strip())}", "  ")
        self.say(f"({total} of {len(self.story.codex)} entries found)")

    # ---- profile -------------------------------------------------------------------------------

    @property
    def profile(self):
        if self._profile is None:
            from game.paths import default_saves_dir
            from game.profile import Profile

            try:
                self._profile = Profile.load(default_saves_dir(self.saves_dir))
            except Exception:  # no save folder at all: remember nothing
                self._profile = Profile()
        return self._profile

    def record_ending(self) -> tuple[int, int]:
        profile = self.profile
        profile.add_ending(self.story.info.id, self.state.scene)
        endings = self.story.endings
        found = len(set(profile.endings_found(self.story.info.id, endings)) | {self.state.scene})
        return found, len(endings)

    # ---- saves ---------------------------------------------------------------------------------

    @property
    def store(self):
        """The save store, or None when saving is not available."""
        if not self._store_checked:
            self._store_checked = True
            from game import saving

            try:
                self._store = saving.open_store(self.story, self.saves_dir)
            except Exception as exc:  # noqa: BLE001 - play on without saves
                self.say(f"Saves are not available: {exc}")
                self._store = None
        return self._store

    def play_seconds(self) -> float:
        return self.play_base + (time.monotonic() - self.started)

    def cmd_save(self, slot: str) -> None:
        """save [SLOT]: the quicksave, a numbered slot or a name. A damaged slot is replaced only
        when the player says yes."""
        from game import saving

        if self.store is None:
            self.say(saving.UNAVAILABLE)
            return
        result = saving.save_slot(self.store, self.story, self.state, slot, self.play_seconds())
        if result.damaged is not None:
            from game.saves import slot_title

            title = slot_title(result.slot)
            backup = "its backup is kept" if result.backup_ok else "it has no usable backup, so that save will be lost"
            self.say(f"{title} holds a damaged save: {result.damaged}.")
            if not self.ask(f"Replace it with this game ({backup})? Type yes or no."):
                self.say(f"Not saved: {title} was left as it is.")
                return
            result = saving.save_slot(self.store, self.story, self.state, slot, self.play_seconds(),
                                      overwrite_damaged=True)
        self.say(result.message)

    def ask(self, question: str) -> bool:
        """A yes/no question; anything but yes (or the end of input) is no."""
        self.say(question)
        answer = self.read()
        return answer is not None and answer.lower() in ("y", "yes")

    def cmd_load(self, slot: str) -> bool:
        """load [SLOT] [backup]: the newest save of this story, a slot, or a slot's backup."""
        from game import saving

        if self.store is None:
            self.say(saving.UNAVAILABLE)
            return False
        backup = False
        head, _, last = slot.rpartition(" ")
        if head.strip() and last.lower() == "backup" and not self._slot_exists(slot):
            slot, backup = head.strip(), True
        loaded = saving.load(self.store, self.story, slot or None, backup=backup)
        if loaded.state is None:
            self.say(loaded.message)
            if loaded.damaged and loaded.backup_ok and not backup:
                self.say(f"Type `load {loaded.slot} backup` to load its backup.")
            elif loaded.empty and slot and not backup:
                self.say("Type `saves` to list the saved games.")
            return False
        self.say(loaded.message)
        self.state = loaded.state
        self.undo_stack = saving.rebuild_history(self.story, loaded.state, UNDO_LIMIT)
        self.unlocked = unlocked_codex(self.story, self.state)
        self.play_base, self.started = loaded.play_seconds, time.monotonic()
        return True

    def _slot_exists(self, slot: str) -> bool:
        try:
            return bool(self.store.exists(slot))
        except Exception:  # noqa: BLE001 - an invalid name: not an existing slot
            return False

    def cmd_saves(self) -> None:
        """saves: the slots as a table (slot, label, chapter, in-game date, saved at, play time,
        damage), in the order of `thaw saves`."""
        from game import saving
        from game.saves import format_table

        if self.store is None:
            self.say(saving.UNAVAILABLE)
            return
        try:
            infos = self.store.list()
        except Exception as exc:  # noqa: BLE001 - a SaveError (unreadable folder) says why
            self.say(saving._one_line(exc))
            return
        if not infos:
            self.say("There are no saved games yet.")
            return
        self.say(format_table(infos))
        self.say()
        tip = "load SLOT loads one"
        if any(i.damaged and i.backup_ok for i in infos):
            tip += "; load SLOT backup loads the backup of a damaged one"
        self.say(f"({tip}.)")

    def cmd_delete(self, slot: str) -> None:
        """delete SLOT: remove a save and its backup, once the player says yes."""
        self._slot_command(slot, "delete", self._delete)

    def cmd_restore(self, slot: str) -> None:
        """restore SLOT: put a damaged save's good backup back in its place."""
        self._slot_command(slot, "restore", self._restore)

    def _slot_command(self, slot: str, word: str, action) -> None:
        from game import saving

        if self.store is None:
            self.say(saving.UNAVAILABLE)
        elif not slot:
            self.say(f"Which one? Type `{word} SLOT`; `saves` lists them.")
        else:
            try:
                action(slot)
            except Exception as exc:  # noqa: BLE001 - a SaveError says what went wrong
                self.say(saving._one_line(exc))

    def _delete(self, slot: str) -> None:
        from game.saves import SlotEmpty, normalize_slot, slot_title

        title = slot_title(normalize_slot(slot))
        if not self.store.exists(slot):
            raise SlotEmpty(f"{title} is empty.")
        if not self.ask(f"Delete {title} and its backup for good? Type yes or no."):
            self.say(f"Not deleted: {title} was left as it is.")
            return
        self.store.delete(slot)
        self.say(f"Deleted {title}.")

    def _restore(self, slot: str) -> None:
        info = self.store.restore_backup(slot)
        self.say(f"Restored the backup of {info.title}: {info.chapter}, {info.date_text}. Type `load {slot}` to play it.")

    def autosave(self) -> None:
        from game import saving

        if self.store is None or self.story.scenes[self.state.scene].is_ending:
            return
        problem = saving.autosave(self.store, self.story, self.state, self.play_seconds())
        if problem and not self.autosave_warned:
            self.autosave_warned = True
            self.say(f"(Autosave failed: {problem})")

    # ---- the loop ------------------------------------------------------------------------------

    def read(self) -> str | None:
        self.out.write("> ")
        self.out.flush()
        line = self.stdin.readline()
        if not line:
            self.say()
            return None
        if not _is_tty(self.stdin):
            self.say(line.rstrip("\n"))  # a transcript of piped play reads like a session
        return line.strip()

    def take(self, v: SceneView, number: int) -> bool:
        """Take choice `number`; True when the scene changed."""
        choice = next((c for c in v.choices if c.number == number), None)
        if choice is None:
            count = len(v.choices)
            self.say(f"There is no choice {number}." + (f" Type 1 to {count}." if count > 1 else ""))
            return False
        if not choice.available:
            self.say(f"That choice is locked: {plain_inline(choice.locked_reason) or 'not available now'}")
            return False
        try:
            new = choose(self.story, self.state, choice.id)
        except ChoiceError as exc:
            self.say(f"That choice cannot be taken: {exc}")
            return False
        self.undo_stack.append(self.state)
        del self.undo_stack[:-UNDO_LIMIT]
        self.state = new
        self.autosave()
        return True

    def run(self, load_slot: str | None = None) -> int:
        story = self.story
        self.say(f"{story.info.title}" + (f": {story.info.subtitle}" if story.info.subtitle else ""))
        self.say("Type a choice's number, or help for the commands.")
        self.say()
        if load_slot is not None and not self.cmd_load(load_slot):
            return 1
        v = self.show_scene()
        while True:
            if v.ending is not None:
                self.show_ending(v)
                return 0
            line = self.read()
            if line is None:
                return 0
            if not line:
                self.show_choices(v)
                continue
            word, _, rest = line.partition(" ")
            word, rest = word.lower(), rest.strip()
            if word.isdigit():
                if self.take(v, int(word)):
                    self.say()
                    v = self.show_scene()
                continue
            if word in ("quit", "exit", "q"):
                self.say("Goodbye.")
                return 0
            if word in ("help", "?", "h"):
                self.say(HELP)
            elif word in ("undo", "u"):
                if not self.undo_stack:
                    self.say("There is nothing to undo.")
                    continue
                undone = self.state.journal[-1].text if self.state.journal else ""
                self.state = self.undo_stack.pop()
                self.say(f"Undone: {plain_inline(undone)}" if undone else "Undone.")
                self.say()
                v = self.show_scene()
            elif word in ("note", "n", "history"):
                self.show_note()
            elif word in ("journal", "j"):
                self.show_journal()
            elif word in ("status", "s", "stats"):
                self.show_status()
            elif word in ("codex", "c"):
                self.show_codex(rest)
            elif word in ("look", "l", "again"):
                v = self.show_scene(with_result=False)
            elif word == "save":
                self.cmd_save(rest)
            elif word == "load":
                if self.cmd_load(rest):
                    self.say()
                    v = self.show_scene(with_result=False)
            elif word == "saves":
                self.cmd_saves()
            elif word == "delete":
                self.cmd_delete(rest)
            elif word == "restore":
                self.cmd_restore(rest)
            else:
                self.say(f"I don't know '{word}'. Type a choice's number, or help for the commands.")


def run_plain(
    story: Story,
    *,
    seed: int | None = None,
    saves_dir: str | None = None,
    load_slot: str | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    start: GameState | None = None,
    record: str | None = None,
) -> int:
    """Play `story` line by line; 0 at an ending, on quit or at the end of input.

    `start` begins at that state instead of a new game (thaw play --scene/--set); `record` writes
    the choices taken to that file when the game ends (a transcript for `thaw replay`).
    """
    game = PlainGame(story, seed=seed, saves_dir=saves_dir, stdin=stdin, stdout=stdout, start=start)
    try:
        return game.run(load_slot)
    except (KeyboardInterrupt, BrokenPipeError):
        raise
    except Exception as exc:  # never a traceback in front of a player
        from game.crash import report

        print(report(exc, saves_dir), file=sys.stderr)
        return 1
    finally:
        if record is not None:
            from game.tools.play_options import write_recording

            write_recording(record, story, game.state, start)


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _wrap_width(out: TextIO) -> int:
    """Wrap to the terminal when writing to one; one line per paragraph into pipes and files."""
    try:
        if not out.isatty():
            return 0
    except (AttributeError, ValueError):
        return 0
    return max(40, min(shutil.get_terminal_size((80, 24)).columns, 100) - 2)
