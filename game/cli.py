"""The `thaw` command. Sub-commands import their modules lazily so start-up stays fast."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

COMMANDS = ("play", "check", "playtest", "balance", "style", "notes", "graph", "schema", "replay", "saves", "serve")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="thaw",
        description="The Thaw: an interactive fiction of the USSR, 1953-1961.",
        epilog="With no command, `thaw` plays the game: `thaw [play options]` is `thaw play [play options]`.",
    )
    parser.add_argument("--version", action="store_true", help="print the game's version and the story's id and version")
    # Listed here for `thaw --help`; main() hands every play option to the `play` command.
    add_play_arguments(parser.add_argument_group("play options (thaw play)"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    play = sub.add_parser("play", help="play the game (the default)")
    add_play_arguments(play)

    check = sub.add_parser("check", help="check a story folder for errors and warnings")
    check.add_argument("folder", nargs="?", metavar="DIR", help="story folder (default: the shipped story)")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument("--format", choices=("text", "json"), default="text", help="output format")

    saves = sub.add_parser("saves", help="list the save slots: label, chapter, date, play time, damage")
    saves.add_argument("--saves", metavar="DIR", help="save folder (default: see README)")

    serve = sub.add_parser("serve", help="serve the game to web browsers, one game per visitor")
    from game.serve import add_serve_arguments

    add_serve_arguments(serve)

    from game.tools.commands import add_tool_parsers

    add_tool_parsers(sub)  # playtest, balance, style, notes, graph, schema, replay
    return parser


def add_play_arguments(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    parser.add_argument("--plain", action="store_true", help="plain text: for screen readers and scripts")
    parser.add_argument("--scenes", metavar="DIR", help="play another story folder")
    parser.add_argument("--seed", type=_seed, metavar="N", help="seed for the story's random events")
    parser.add_argument("--saves", metavar="DIR", help="save folder (default: see README)")
    parser.add_argument("--load", metavar="SLOT", help="start by loading this save slot")
    from game.tools.commands import add_play_tool_arguments

    add_play_tool_arguments(parser)  # --scene, --set, --record, --watch, --dev
    if isinstance(parser, argparse.ArgumentParser):
        parser.add_argument("--version", action="store_true", help="print the game's version and the story's id and version")


def _seed(text: str) -> int:
    """A seed a save can hold: a whole number of at most 64 bits."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not -(2**63) <= value < 2**63:
        raise argparse.ArgumentTypeError("a seed is a whole number from -2**63 to 2**63-1")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0] not in COMMANDS and args_list[0] not in ("-h", "--help", "--version")):
        args_list.insert(0, "play")
    parser = build_parser()
    args = parser.parse_args(args_list)
    if args.version:
        from game.text import terminal_text

        print(terminal_text(version_text(getattr(args, "scenes", None))))  # the folder's name may hold escapes
        return 0
    try:
        if args.command == "check":
            from game.paths import default_scenes_dir
            from game.tools.check import main as check_main

            return check_main(args.folder or str(default_scenes_dir()), strict=args.strict, fmt=args.format)
        if args.command == "saves":
            from game.saves import saves_command

            return saves_command(args.saves)
        if args.command == "play":
            return _play(args)
        if args.command == "serve":
            from game.serve import serve_command

            return serve_command(args)
        from game.tools.commands import run_tool

        code = run_tool(args)
        if code is not None:
            return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    parser.print_help()
    return 2


def _title_first(args: argparse.Namespace) -> bool:
    """Plain `thaw`: the title is painted before the story is loaded (game.ui.boot). The writer's
    options and --load need the story first."""
    return args.load is None and not any(getattr(args, name, None) for name in ("scene", "set_values", "record", "watch", "dev"))


def version_text(scenes: str | None = None) -> str:
    """'thaw 0.1.0' and the story the game would play: its title, id and version."""
    from game import __version__
    from game.paths import default_scenes_dir
    from game.story.loader import display_path, load_story
    from game.story.problems import StoryError

    folder = scenes or str(default_scenes_dir())
    try:
        info = load_story(folder).info
    except StoryError as exc:
        story = f"story: cannot be loaded from {display_path(Path(folder))} ({len(exc.problems)} problem(s); `thaw check` lists them)"
    else:
        story = f"story: {info.title} (story '{info.id}' version {info.version}) from {display_path(Path(folder))}"
    return f"thaw {__version__}\n{story}"


def _play(args: argparse.Namespace) -> int:
    from game.session import open_story

    if args.load is not None:
        from game.saves import SaveError, SaveStore, normalize_slot

        try:
            args.load = normalize_slot(args.load)
            if not SaveStore.open(args.saves).exists(args.load):
                raise SaveError(f"there is no save in slot '{args.load}' (`thaw saves` lists them)")
        except SaveError as exc:
            print(f"thaw: --load: {exc}", file=sys.stderr)
            return 2
    if not args.plain and _title_first(args):
        from game.ui.boot import create_title_first_app, print_problem

        app = create_title_first_app(args.scenes, seed=args.seed, saves_dir=args.saves)
        if app is not None:
            app.run()
            print_problem(app)
            return app.return_code or 0
    story = open_story(args.scenes)
    if story is None:
        return 1
    from game.tools.commands import play_extras, record_after_play

    extras = play_extras(story, args, plain=args.plain)
    if extras is None:
        return 2
    if args.plain:
        from game.plain import run_plain

        return run_plain(story, seed=args.seed, saves_dir=args.saves, load_slot=args.load, **extras)
    from game.ui.app import create_app

    app = create_app(story, seed=args.seed, saves_dir=args.saves, load_slot=args.load, **extras)
    app.run()
    record_after_play(story, args, app.state, extras, edited=bool(app.session is not None and app.session.edited))
    return app.return_code or 0
