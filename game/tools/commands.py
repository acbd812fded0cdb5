"""The writer's commands of `thaw`: playtest, balance, graph, schema and replay.

:mod:`game.cli` calls :func:`add_tool_parsers` to register them and :func:`run_tool` to run one.
This module imports nothing heavy: each command imports its module only when it runs.
"""

from __future__ import annotations

import argparse

TOOL_COMMANDS = ("playtest", "balance", "graph", "schema", "replay")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def add_tool_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    playtest = sub.add_parser(
        "playtest",
        help="play a story automatically: unreachable scenes, dead ends, endings, coverage",
        description="Seeded random playthroughs (default), an exhaustive walk of every reachable state (small "
        "stories), or --prove: a verdict for every scene, choice, branch outcome and passage (reached with a "
        "witness, unreachable with a proof, or unknown with the reason), dead ends and traps. Exits 1 when "
        "something is never reached or unknown, or a player can get stuck.",
    )
    playtest.add_argument("folder", nargs="?", metavar="DIR", help="story folder (default: the shipped story)")
    playtest.add_argument("--runs", type=_positive, default=1000, metavar="N", help="random playthroughs (default 1000)")
    playtest.add_argument("--seed", type=int, default=0, metavar="S", help="seed of the first run; run i uses S+i")
    playtest.add_argument("--exhaustive", action="store_true", help="walk every reachable state instead")
    playtest.add_argument("--max-states", type=_positive, default=200_000, metavar="K",
                          help="stop the exhaustive walk after K distinct states (default 200000)")
    playtest.add_argument("--prove", action="store_true",
                          help="prove what can and cannot be reached, dead ends and traps (docs/authoring.md 13.2)")
    playtest.add_argument("--chapter", metavar="C", help="--prove: only the targets of this chapter (its id)")
    playtest.add_argument("--witness", metavar="ID",
                          help="--prove: print the recording (for thaw replay) that reaches ID: a scene, a choice "
                          "(scene.choice), a branch outcome (scene.choice/branchN, /goto), a passage (scene#N) or dead:SCENE")
    playtest.add_argument("--budget", type=_positive, metavar="K",
                          help="--prove: states the witness search may try per target (default 300000)")
    playtest.add_argument("--hits", action="store_true",
                          help="random runs: list how often each scene was reached, each passage shown and each "
                          "choice taken (the JSON always has them)")
    playtest.add_argument("--format", choices=("text", "json"), default="text", help="output format")

    balance = sub.add_parser(
        "balance",
        help="how the stats move over random playthroughs; choices that cost nothing; ending odds",
        description="For each chapter's end, each stat's p10, median, p90 and share of runs at its min and max; "
        "choices that only gain or change nothing; flags set but never read and read but never set; stats no "
        "passage reads; ending odds. --strict exits 1 when a limit declared under [balance] in story.toml is crossed.",
    )
    balance.add_argument("folder", nargs="?", metavar="DIR", help="story folder (default: the shipped story)")
    balance.add_argument("--runs", type=_positive, default=2000, metavar="N", help="random playthroughs (default 2000)")
    balance.add_argument("--seed", type=int, default=0, metavar="S", help="seed of the first run; run i uses S+i")
    balance.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    balance.add_argument("--strict", action="store_true", help="exit 1 when a limit declared under [balance] is crossed")

    style = sub.add_parser(
        "style",
        help="how the prose reads: repeated phrases, forbidden phrases, scene length outliers, spelling",
        description="Word n-grams of 3 to 8 words used at least [style] repeats times (default 5), with counts "
        "and scenes; every use of a phrase listed under [style] forbid, at file:LINE; scenes unusually long or "
        "short; words neither the English dictionary (pyspellchecker) nor the story's word list ([style] words, "
        "default words.txt in the story folder) knows.",
    )
    style.add_argument("folder", nargs="?", metavar="DIR", help="story folder (default: the shipped story)")
    style.add_argument("--top", type=_positive, default=40, metavar="N",
                       help="show the N commonest repeated phrases (default 40; the JSON has all)")
    style.add_argument("--format", choices=("text", "json"), default="text", help="output format")

    notes = sub.add_parser(
        "notes",
        help="list the testers' notes (comment, scene, save, transcript), or open one at its scene",
        description="Tester notes are written into notes/ in the save folder, one folder each: note.json (the "
        "comment and where), save.json (the game), transcript.json (for thaw replay) and transcript.txt. "
        "`thaw notes` lists them, oldest first; `thaw notes open N` (or its name) plays the game from there.",
    )
    notes.add_argument("action", nargs="?", choices=("list", "open"), default="list", help="list (default) or open")
    notes.add_argument("which", nargs="?", metavar="N", help="open: the note's number in the list, or its name")
    notes.add_argument("--saves", metavar="DIR", help="save folder (default: see README)")
    notes.add_argument("--scenes", metavar="DIR", help="open: the story folder (default: the shipped story)")
    notes.add_argument("--plain", action="store_true", help="open: play in the plain text front end")
    notes.add_argument("--format", choices=("text", "json"), default="text", help="list: output format")

    graph = sub.add_parser(
        "graph",
        help="draw the scene graph (Graphviz DOT or Mermaid), chapters as clusters",
        description="Scenes as boxes, endings as octagons, choices as arrows: dashed with their condition "
        "when they have an `if`, dotted for a branch. Writes to stdout unless -o or --svg is given.",
    )
    graph.add_argument("folder", nargs="?", metavar="DIR", help="story folder (default: the shipped story)")
    graph.add_argument("--format", choices=("dot", "mermaid"), default="dot", help="output format (default dot)")
    graph.add_argument("--chapter", metavar="C", help="draw only this chapter (its id)")
    graph.add_argument("-o", "--output", metavar="FILE", help="write the graph text to FILE")
    graph.add_argument("--svg", metavar="FILE", help="render an SVG with Graphviz `dot` (must be installed)")

    schema = sub.add_parser(
        "schema",
        help="print the JSON Schema of scene files (editor completion with Taplo / Even Better TOML)",
        description="Generated from the scene models. Refresh the checked-in copy with "
        "`thaw schema -o schema/scene-file.schema.json`.",
    )
    schema.add_argument("-o", "--output", metavar="FILE", help="write the schema to FILE instead of stdout")

    replay = sub.add_parser(
        "replay",
        help="replay a recorded transcript through the engine and print it",
        description="Replays the choice ids of FILE (recorded with `thaw play --plain --record FILE`). When "
        "FILE's .txt twin exists (a blessed transcript) the output is compared with it: a difference is "
        "shown as a unified diff and exits 1; --bless accepts the new output.",
    )
    replay.add_argument("file", metavar="FILE", help="the recording (JSON)")
    replay.add_argument("--scenes", metavar="DIR", help="story folder (default: the shipped story)")
    replay.add_argument("--bless", action="store_true", help="write the output as FILE's blessed .txt transcript")


def run_tool(args: argparse.Namespace) -> int | None:
    """Run a writer's command; None when `args.command` is not one of them."""
    if args.command == "playtest":
        from game.tools.playtest import main

        return main(args.folder, runs=args.runs, seed=args.seed, exhaustive=args.exhaustive,
                    max_states=args.max_states, fmt=args.format, prove=args.prove, chapter=args.chapter,
                    witness=args.witness, budget=args.budget, hits=args.hits)
    if args.command == "balance":
        from game.tools.balance import main

        return main(args.folder, runs=args.runs, seed=args.seed, fmt=args.format, strict=args.strict)
    if args.command == "style":
        from game.tools.style import main as style_main

        return style_main(args.folder, fmt=args.format, top=args.top)
    if args.command == "notes":
        from game.notes.command import main as notes_main

        return notes_main(args.action, args.which, saves=args.saves, scenes=args.scenes, plain=args.plain,
                          fmt=args.format)
    if args.command == "graph":
        from game.tools.graph import main

        return main(args.folder, fmt=args.format, chapter=args.chapter, output=args.output, svg=args.svg)
    if args.command == "schema":
        from game.tools.schema import main

        return main(args.output)
    if args.command == "replay":
        from game.tools.transcript import main

        return main(args.file, scenes=args.scenes, bless=args.bless)
    return None


# ---- the writer's options of `thaw play` ----------------------------------------------------------


def add_play_tool_arguments(parser: argparse.ArgumentParser) -> None:
    """--scene, --set, --record, --watch and --dev (see game.tools.play_options)."""
    parser.add_argument("--scene", metavar="ID", help="writers: start a new game at this scene")
    parser.add_argument("--set", metavar="NAME=VALUE", action="append", default=[], dest="set_values",
                        help="writers: preset a stat (a number) or a flag (true/false) at the start; repeatable")
    parser.add_argument("--record", metavar="FILE",
                        help="writers: record the choices taken to FILE, a transcript for `thaw replay`")
    parser.add_argument("--watch", action="store_true",
                        help="writers: reload the story when one of its files changes, keeping the game (implies --dev)")
    parser.add_argument("--dev", action="store_true",
                        help="writers: i opens the state inspector (stats, flags, visits, a jump to any scene)")


def play_extras(story, args: argparse.Namespace, *, plain: bool) -> dict | None:  # type: ignore[no-untyped-def]
    """Keyword arguments for the front end from the writer's play options; None after an error message."""
    import sys

    from game.tools.play_options import PlayOptionError, check_combination, start_state

    problem = check_combination(args)
    if problem:
        print(f"thaw: {problem}", file=sys.stderr)
        return None
    try:
        start = start_state(story, getattr(args, "scene", None), getattr(args, "set_values", []) or [], args.seed)
    except PlayOptionError as exc:
        print(f"thaw: {exc}", file=sys.stderr)
        return None
    extras: dict = {}
    if start is not None:
        extras["start"] = start
    if plain and getattr(args, "record", None):
        extras["record"] = args.record
    if not plain and getattr(args, "watch", False):
        extras["watch"] = True
    if not plain and getattr(args, "dev", False):
        extras["dev"] = True
    return extras


def record_after_play(story, args: argparse.Namespace, state, extras: dict, *,  # type: ignore[no-untyped-def]
                      edited: bool = False) -> None:
    """--record for the full-screen game: written from the final state when the app has closed.
    `edited`: the state inspector changed the game, so its choices alone may not replay to it."""
    if getattr(args, "record", None):
        import sys

        from game.tools.play_options import write_recording

        if write_recording(args.record, story, state, extras.get("start")) and edited:
            print(f"thaw: --record: the state inspector changed this game; {args.record} holds its choices "
                  "only, so thaw replay may not arrive where the game did", file=sys.stderr)
