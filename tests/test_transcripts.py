"""Transcripts: every blessed transcript replays to the same text; recordings, diffs and --bless."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from game.story.engine import choose, new_game, start_at
from game.story.loader import load_story
from game.tools.transcript import (
    Recording,
    TranscriptError,
    blessed_path,
    diff,
    load_recording,
    recording_from_game,
    replay,
    save_recording,
)

ROOT = Path(__file__).resolve().parent.parent
TRANSCRIPTS = ROOT / "tests" / "transcripts"
#: the story folder of each story id the blessed transcripts use
STORY_FOLDERS = {"fixture": ROOT / "tests" / "fixtures" / "mini", "minimal": ROOT / "examples" / "minimal"}
_stories: dict[str, object] = {}


def _story(story_id: str):
    if story_id not in _stories:
        _stories[story_id] = load_story(STORY_FOLDERS[story_id])
    return _stories[story_id]


def _recordings() -> list[Path]:
    return sorted(TRANSCRIPTS.glob("*.json"))


@pytest.mark.parametrize("path", _recordings(), ids=lambda p: p.stem)
def test_blessed_transcript_replays_unchanged(path: Path):
    recording = load_recording(path)
    folder = STORY_FOLDERS[recording.story]
    result = replay(_story(recording.story), recording)
    assert result.ok, result.error
    expected = blessed_path(path)
    assert expected.is_file(), f"no blessed output: run thaw replay {path.relative_to(ROOT)} --bless"
    changes = diff(expected.read_text(encoding="utf-8"), result.text, str(expected.relative_to(ROOT)))
    if changes:
        pytest.fail(
            f"the transcript changed:\n{changes}\nIf the change is intended, accept it with:\n"
            f"  thaw replay {path.relative_to(ROOT)} --scenes {folder.relative_to(ROOT)} --bless",
            pytrace=False,
        )


def test_blessed_transcripts_reach_every_ending_of_the_fixture_and_the_example():
    endings: dict[str, set[str]] = {}
    for path in _recordings():
        recording = load_recording(path)
        state = replay(_story(recording.story), recording).state
        if state is not None and _story(recording.story).scenes[state.scene].is_ending:
            endings.setdefault(recording.story, set()).add(state.scene)
    assert endings["fixture"] == {"end_quiet", "end_rich", "end_caught"}
    assert endings.get("minimal"), "no blessed transcript of examples/minimal reaches an ending"


def test_recording_round_trip_and_errors(tmp_path: Path):
    rec = Recording("fixture", 3, ["wait"], "1.0.0", "hall", {"has_key": True})
    path = tmp_path / "r.json"
    save_recording(path, rec)
    assert load_recording(path) == rec
    for text, message in [
        ("{", "not valid JSON"),
        ("[]", "not a transcript recording"),
        ('{"format": "thaw-transcript", "version": 9}', "version 9 is not supported"),
        ('{"format": "thaw-transcript", "version": 1, "story": "x", "seed": "1", "choices": []}', '"seed" must be'),
        ('{"format": "thaw-transcript", "version": 1, "story": "x", "seed": 1, "choices": [1]}', '"choices" must be'),
    ]:
        path.write_text(text)
        with pytest.raises(TranscriptError, match=message):
            load_recording(path)


def test_recording_from_game_follows_the_journal(mini):
    s0 = new_game(mini, seed=5)
    s1 = choose(mini, s0, "peek")
    s2 = choose(mini, s1, "take_key")
    rec = recording_from_game(mini, s2)
    assert (rec.story, rec.seed, rec.choices, rec.scene, rec.preset) == ("fixture", 5, ["peek", "take_key"], None, {})
    assert recording_from_game(mini, s1).choices == ["peek"]  # after an undo, the journal is shorter
    start = start_at(mini, "hall", seed=2, preset={"has_key": True})
    rec = recording_from_game(mini, choose(mini, start, "open_door"), start)
    assert (rec.scene, rec.preset, rec.choices) == ("hall", {"has_key": True}, ["open_door"])
    assert replay(mini, rec).state.scene == "vault"


def test_replay_stops_clearly_when_a_choice_is_gone(mini):
    result = replay(mini, Recording("fixture", 1, ["wait", "open_door"]))
    assert not result.ok and "turn 2" in result.error and "locked" in result.error
    assert "!! the replay stops at turn 2: choice 'open_door' is locked" in result.text
    with pytest.raises(TranscriptError, match="recorded with story 'thaw'"):
        replay(mini, Recording("thaw", 1, []))
    unfinished = replay(mini, Recording("fixture", 1, ["wait"]))
    assert unfinished.ok and "which is not an ending" in unfinished.text


def _thaw(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "game", *args], capture_output=True, text=True, cwd=ROOT,
                          input=stdin, timeout=120)


def test_cli_diff_and_bless(pack: Path, tmp_path: Path):
    rec = tmp_path / "quiet.json"
    shutil.copy(TRANSCRIPTS / "mini-quiet.json", rec)
    shutil.copy(TRANSCRIPTS / "mini-quiet.txt", blessed_path(rec))
    result = _thaw("replay", str(rec), "--scenes", str(pack))
    assert result.returncode == 0 and "matches" in result.stderr
    assert result.stdout == (TRANSCRIPTS / "mini-quiet.txt").read_text()
    scenes = pack / "two" / "scenes.toml"
    scenes.write_text(scenes.read_text().replace("say nothing, for years", "say nothing, for decades"))
    result = _thaw("replay", str(rec), "--scenes", str(pack))
    assert result.returncode == 1
    assert "-You go home and say nothing, for years." in result.stderr
    assert "+You go home and say nothing, for decades." in result.stderr
    assert "--bless" in result.stderr and "Traceback" not in result.stderr
    result = _thaw("replay", str(rec), "--scenes", str(pack), "--bless")
    assert result.returncode == 0 and "decades" in blessed_path(rec).read_text()
    assert _thaw("replay", str(rec), "--scenes", str(pack)).returncode == 0


def test_cli_wrong_story_and_bad_file(tmp_path: Path):
    result = _thaw("replay", str(TRANSCRIPTS / "mini-quiet.json"), "--scenes", "examples/minimal")
    assert result.returncode == 1 and "recorded with story 'fixture'" in result.stderr
    bad = tmp_path / "bad.json"
    bad.write_text("nope")
    result = _thaw("replay", str(bad))
    assert result.returncode == 1 and "not valid JSON" in result.stderr and "Traceback" not in result.stderr
