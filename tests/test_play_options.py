"""thaw play --scene/--set (start anywhere with a preset state) and --record (transcripts of play)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from game.tools.play_options import PlayOptionError, parse_sets, parse_value, start_state
from game.tools.transcript import load_recording, replay

ROOT = Path(__file__).resolve().parent.parent


def test_parse_value():
    assert parse_value("3") == 3 and parse_value("-2") == -2
    assert parse_value("true") is True and parse_value("False") is False
    with pytest.raises(PlayOptionError, match="neither a whole number nor true/false"):
        parse_value("yes")


def test_parse_sets(mini):
    assert parse_sets(mini, ["nerve=4", "has_key=TRUE"]) == {"nerve": 4, "has_key": True}
    for item, message in [
        ("nerve", "write NAME=VALUE"),
        ("nerve=x", "'x' is neither a whole number nor true/false"),
        ("nerve=true", "'nerve' is a stat: give a whole number from 0 to 5"),
        ("nerve=9", "9 is outside the range of 'nerve', 0..5"),
        ("has_key=1", "'has_key' is a flag: give true or false"),
        ("nerv=1", r"'nerv' is not a declared stat or flag \(did you mean 'nerve'\?\)"),
    ]:
        with pytest.raises(PlayOptionError, match=message):
            parse_sets(mini, [item])


def test_start_state(mini):
    assert start_state(mini, None, [], None) is None
    state = start_state(mini, "hall", ["has_key=true"], 7)
    assert (state.scene, state.seed, state.flags["has_key"], state.stats["nerve"]) == ("hall", 7, True, 2)
    assert start_state(mini, None, ["trust=4"], 1).scene == "start"
    with pytest.raises(PlayOptionError, match=r"--scene hal: there is no such scene in this story \(did you mean 'hall'\?\)"):
        start_state(mini, "hal", [], 1)


def _play(*args: str, stdin: str = "", saves: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "game", "play", "--plain", "--scenes", "tests/fixtures/mini", "--saves", str(saves), *args],
        input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=120,
    )


def test_cli_scene_and_set(tmp_path: Path):
    result = _play("--scene", "hall", "--set", "has_key=true", "--set", "trust=3", "--seed", "1", stdin="1\n2\n",
                   saves=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "== Chapter 1: The Key | 6 March 1953 | The hall ==" in result.stdout
    assert "The key is cold in your pocket." in result.stdout
    assert "1. Open the door." in result.stdout and "2. Ask Orlova for help." in result.stdout
    assert "*** THE END: A Quiet Life ***" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set", "ghost=1"], "thaw: --set ghost=1: 'ghost' is not a declared stat or flag"),
        (["--set", "nerve=lots"], "'lots' is neither a whole number nor true/false"),
        (["--scene", "nowhere"], "--scene nowhere: there is no such scene in this story"),
        (["--scene", "hall", "--load", "1"], "cannot be combined with --load"),
        (["--watch"], "--watch reloads the story in the full-screen game: drop --plain"),
        (["--dev"], "--dev opens the state inspector of the full-screen game: drop --plain"),
    ],
)
def test_cli_play_option_errors(tmp_path: Path, args, message):
    if "--load" in args:  # the slot must exist for --load to get as far as the option check
        from game.saves import SaveStore
        from game.story.engine import new_game
        from game.story.loader import load_story

        story = load_story(ROOT / "tests" / "fixtures" / "mini")
        SaveStore.open(tmp_path).save(1, story, new_game(story, seed=1))
    result = _play(*args, saves=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_cli_record_then_replay(tmp_path: Path, mini):
    rec = tmp_path / "game.json"
    # take the key, undo it, wait instead, talk, give the folder back
    result = _play("--seed", "4", "--record", str(rec), stdin="1\nundo\n2\n2\n2\n", saves=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(rec.read_text())
    assert data == {"format": "thaw-transcript", "version": 1, "story": "fixture", "story_version": "1.0.0",
                    "seed": 4, "choices": ["wait", "talk", "back"]}
    again = replay(mini, load_recording(rec))
    assert again.ok and again.state.scene == "end_quiet"
    out = subprocess.run([sys.executable, "-m", "game", "replay", str(rec), "--scenes", "tests/fixtures/mini"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0 and "> 2. Give it back.  [back]" in out.stdout


def test_cli_record_keeps_the_preset_start(tmp_path: Path, mini):
    rec = tmp_path / "game.json"
    result = _play("--scene", "hall", "--set", "has_key=true", "--seed", "2", "--record", str(rec), stdin="1\n",
                   saves=tmp_path)
    assert result.returncode == 0
    recording = load_recording(rec)
    assert (recording.scene, recording.preset, recording.choices) == ("hall", {"has_key": True}, ["open_door"])
    assert replay(mini, recording).state.scene == "vault"


def test_writer_tools_do_not_import_textual():
    code = (
        "import sys, game.tools.playtest, game.tools.graph, game.tools.schema, game.tools.transcript, "
        "game.tools.play_options, game.tools.commands, game.cli\n"
        "game.cli.build_parser()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_dev_reaches_the_app_and_skips_the_title_first_start():
    """--dev needs the story loaded before the app starts (the inspector reads it), like --watch."""
    import argparse

    from game.cli import _title_first, build_parser
    from game.story.loader import load_story
    from game.tools.commands import play_extras

    args = build_parser().parse_args(["play", "--dev"])
    assert args.dev and not _title_first(args)
    story = load_story(ROOT / "tests" / "fixtures" / "mini")
    assert play_extras(story, args, plain=False) == {"dev": True}
    assert play_extras(story, argparse.Namespace(**{**vars(args), "dev": False}), plain=False) == {}
