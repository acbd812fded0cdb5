"""`python -m game` does what the `thaw` command does."""

from game.cli import main

raise SystemExit(main())
