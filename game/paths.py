"""Where the shipped story lives, from a checkout or from an installed package."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def checkout_root() -> Path | None:
    """The repository root when running from a source checkout (scenes/ beside game/)."""
    root = PACKAGE_DIR.parent
    if (root / "scenes" / "story.toml").is_file() and (root / "pyproject.toml").is_file():
        return root
    return None


def default_scenes_dir() -> Path:
    """scenes/ of the checkout, else the copy installed inside the package."""
    root = checkout_root()
    if root is not None:
        return root / "scenes"
    return PACKAGE_DIR / "scenes"


def default_saves_dir(cli_value: str | Path | None = None) -> Path:
    """The save folder: --saves, then $THAW_SAVES, then the checkout's saves/, else the user data dir."""
    import os

    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get("THAW_SAVES")
    if env:
        return Path(env).expanduser()
    root = checkout_root()
    if root is not None:
        return root / "saves"
    from platformdirs import user_data_path

    return user_data_path("the-thaw", appauthor=False) / "saves"
