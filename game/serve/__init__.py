"""`thaw serve`: its options and its start. The server itself (game.serve.server) imports
textual-serve and aiohttp, so it is imported only when the command runs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_IDLE = 30 * 60
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def default_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path("the-thaw", appauthor=False) / "serve"


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    parser.add_argument("--max-sessions", type=_positive, metavar="N",
                        help="games running at once (default: from the machine's memory)")
    parser.add_argument("--data", metavar="DIR",
                        help="folder of the visitors' saves (default: the user data folder's serve/)")
    parser.add_argument("--idle-timeout", type=_positive, default=DEFAULT_IDLE, metavar="SECONDS",
                        help=f"end a game nobody has typed in for this long, after an autosave (default {DEFAULT_IDLE})")
    parser.add_argument("--scenes", metavar="DIR", help="serve another story folder")


def serve_command(args: argparse.Namespace) -> int:
    try:
        from game.serve.server import GameServer
    except ImportError as exc:
        print(f"thaw serve: needs textual-serve ({exc.name} is missing): pip install \"the-thaw[serve]\"",
              file=sys.stderr)
        return 2
    from game.serve.visitors import default_max_sessions

    if not 0 < args.port < 65536:
        print("thaw serve: --port must be between 1 and 65535", file=sys.stderr)
        return 2
    if args.scenes and not Path(args.scenes).is_dir():
        print(f"thaw serve: --scenes: {args.scenes} is not a folder", file=sys.stderr)
        return 2
    if args.host not in LOCAL_HOSTS:
        print(f"thaw serve: listening on {args.host}, reachable from other machines over plain HTTP; "
              "put it behind a TLS proxy (docs/deploy.md)", file=sys.stderr)
    server = GameServer(
        host=args.host, port=args.port, data=args.data or default_data_dir(),
        max_sessions=args.max_sessions or default_max_sessions(), idle_timeout=args.idle_timeout,
        scenes=args.scenes,
    )
    server.serve()
    return 0
