"""The plain front end: line-based play for screen readers, pipes and scripts.

It prints and reads lines only (no cursor movement, no redraws), so a screen reader reads it as a
conversation and a script can drive it through a pipe. It is a view over a
:class:`game.session.Session`, like the Textual game.
"""

from __future__ import annotations

import sys
from typing import TextIO

from game.plain.output import Showing
from game.plain.pages import Pages
from game.plain.saves import PlainSaves
from game.reading import plain_inline, story_scope
from game.session import SaveFolder, Session
from game.story.engine import SceneView
from game.story.state import GameState
from game.story.story import Story

UNDO_LIMIT = 1000

HELP = """\
Type the number of a choice and press Enter. Commands:
  1-9 ...      take that choice
  undo         take back your last choice (again and again)
  note         the history note: what actually happened, with sources
  journal      your decisions beside the documented events, in date order
  back [N]     the story so far: the last N scenes you read and what you chose
               (default 3; back all for every one)
  status       where you are, your standing and the people around you
  codex [WORD] the people, places and terms you have met (WORD filters them)
  endings      the endings you have found, and hints for the others
  look         show the scene again
  notices on|off  a line in the story's voice when a choice moves a stat
  skip on|off  fold the prose of scenes read in an earlier game (look reads it)
  save [SLOT]  save the game (SLOT: 1-9 or a name; default: the quicksave)
  load [SLOT]  load a saved game (default: the newest of this story);
               load SLOT backup loads the backup of a damaged save
  saves        list the saved games
  delete SLOT  delete a saved game and its backup (asks first)
  restore SLOT put a damaged save's good backup back in its place
  help         this list
  quit         leave the game (also: end of input)"""


class PlainGame(PlainSaves, Pages, Showing):
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
        super().__init__(stdout or sys.stdout)
        self.stdin = stdin or sys.stdin
        self.saves_dir = saves_dir
        self.folder = SaveFolder(saves_dir)
        if start is not None:
            self.session = Session(story, start, folder=self.folder, undo_limit=UNDO_LIMIT)
        else:
            self.session = Session.new(story, self.folder, seed, undo_limit=UNDO_LIMIT)

    @property
    def story(self) -> Story:
        return self.session.story

    @property
    def state(self) -> GameState:
        return self.session.state

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
        taken = self.session.take(choice.id)
        if taken.locked:
            self.say(f"That choice is locked: {plain_inline(taken.reason)}")
            return False
        if not taken.done:
            self.say(f"That choice cannot be taken: {taken.reason}")
            return False
        self.autosave()
        return True

    def undo(self) -> SceneView | None:
        undone = self.session.undo()
        if undone is None:
            self.say("There is nothing to undo.")
            return None
        self.say(f"Undone: {plain_inline(undone)}" if undone else "Undone.")
        self.say()
        return self.show_scene()

    def run(self, load_slot: str | None = None) -> int:
        story = self.story
        self.say(f"{story.info.title}" + (f": {story.info.subtitle}" if story.info.subtitle else ""))
        scope = story_scope(story)
        if scope:
            self.say(scope)
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
                    card = self.session.card()
                    if card is not None:
                        self.show_card(card)
                    v = self.show_scene()
                continue
            if word in ("quit", "exit", "q"):
                self.say("Goodbye.")
                return 0
            v = self.command(word, rest) or v

    def command(self, word: str, rest: str) -> SceneView | None:
        """Run one command; the scene shown anew when it changed (undo, load, look), else None."""
        if word in ("help", "?", "h"):
            self.say(HELP)
        elif word in ("undo", "u"):
            return self.undo()
        elif word in ("note", "n", "history"):
            self.show_note()
        elif word in ("journal", "j"):
            self.show_journal()
        elif word in ("status", "s", "stats"):
            self.show_status()
        elif word in ("codex", "c"):
            self.show_codex(rest)
        elif word in ("look", "l", "again"):
            return self.show_scene(with_result=False, fold=False)
        elif word in ("back", "b"):
            self.show_back(rest)
        elif word == "endings":
            self.show_endings()
        elif word in ("notices", "skip"):
            self.setting(word, rest)
        elif word == "save":
            self.cmd_save(rest)
        elif word == "load":
            if self.cmd_load(rest):
                self.say()
                return self.show_scene(with_result=False)
        elif word == "saves":
            self.cmd_saves()
        elif word == "delete":
            self.cmd_delete(rest)
        elif word == "restore":
            self.cmd_restore(rest)
        else:
            self.say(f"I don't know '{word}'. Type a choice's number, or help for the commands.")
        return None


    def setting(self, word: str, rest: str) -> None:
        """notices on|off, skip on|off: remembered in profile.json like the Settings screen's."""
        name = {"notices": "notices", "skip": "skip_read"}[word]
        profile = self.session.folder.profile
        value = rest.strip().lower()
        if value in ("on", "off"):
            profile.set_setting(name, value == "on")
        elif value:
            self.say(f"Type {word} on or {word} off.")
            return
        state = "on" if getattr(profile, name) else "off"
        what = "Notices of what your choices move" if word == "notices" else "Skipping scenes read before"
        self.say(f"{what}: {state}.")


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
        game.session.remember()
        if record is not None:
            from game.tools.play_options import write_recording

            write_recording(record, story, game.state, start)


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
