"""`thaw check`: graph warnings, the summary line, exit codes and JSON output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from game.tools.check import check_folder

ROOT = Path(__file__).resolve().parent.parent


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _messages(folder: Path) -> list[str]:
    return [str(p) for p in check_folder(folder).problems]


def test_clean_pack_has_summary(pack: Path):
    report = check_folder(pack)
    assert report.problems == []
    assert report.summary_line() == "0 errors, 0 warnings: 7 scenes, 10 choices, 3 endings, 109 words"


def test_unreachable_scene_and_no_way_out(pack: Path):
    (pack / "two" / "extra.toml").write_text(
        '[[scene]]\nid = "island"\nchapter = "two"\ndate = 1953-05-01\nplace = "x"\nevent = "e-month"\n'
        'text = "x"\n  [[scene.choice]]\n  id = "stay"\n  text = "Stay."\n  goto = "island"\n'
    )
    messages = _messages(pack)
    assert any("extra.toml:1: warning: scene 'island': no path from the start scene reaches this scene" in m for m in messages)
    assert any("scene 'island': no ending can be reached from this scene" in m for m in messages)


def test_impossible_condition(pack: Path):
    _edit(pack / "one" / "scenes.toml", 'if = "trust >= 2"', 'if = "trust > 5"')
    messages = _messages(pack)
    assert any("choice 'talk': the condition 'trust > 5' can never hold within the declared ranges" in m for m in messages)


def test_possible_compound_condition_is_not_flagged(pack: Path):
    _edit(pack / "one" / "scenes.toml", 'if = "trust >= 2"', 'if = "trust >= 2 and not (trust > 4) or has_key"')
    assert not any("never hold" in m for m in _messages(pack))


def test_contradiction_across_names(pack: Path):
    _edit(pack / "one" / "scenes.toml", 'if = "trust >= 2"', 'if = "has_key and not has_key"')
    assert any("'has_key and not has_key' can never hold" in m for m in _messages(pack))


def test_unused_stat_and_flag(pack: Path):
    _edit(pack / "story.toml", "warned = false", "warned = false\nidle = false")
    messages = _messages(pack)
    line = (pack / "story.toml").read_text().splitlines().index("idle = false") + 1
    assert any(f"story.toml:{line}: warning: flag 'idle' is never read by any condition" in m for m in messages)
    assert any("flag 'idle' is never changed by any choice" in m for m in messages)


def test_dates_backwards(pack: Path):
    _edit(pack / "one" / "scenes.toml", "date = 1953-03-06", "date = 1953-03-01")
    assert any("choice 'take_key': time runs backwards" in m for m in _messages(pack))


def test_unsourced_scene_and_event(pack: Path):
    _edit(pack / "two" / "scenes.toml", 'sources = ["src-a"]\n', "")
    _edit(pack / "history.toml", 'sources = ["src-a", "src-b"]', "sources = []")
    messages = _messages(pack)
    assert any("scene 'ally_scene': the scene names neither an event nor sources" in m for m in messages)
    assert any("event 'e-month' cites no sources" in m for m in messages)


def _thaw(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "game", *args], capture_output=True, text=True, cwd=ROOT, timeout=60)


def test_cli_exit_codes_and_strict(pack: Path):
    ok = _thaw("check", str(pack))
    assert ok.returncode == 0 and ok.stdout.strip().endswith("3 endings, 109 words")
    _edit(pack / "story.toml", "warned = false", "warned = false\nidle = false")
    assert _thaw("check", str(pack)).returncode == 0
    strict = _thaw("check", str(pack), "--strict")
    assert strict.returncode == 1
    assert "0 errors, 2 warnings" in strict.stdout


def test_cli_writer_mistakes_give_file_line_and_no_traceback(pack: Path):
    scenes = pack / "one" / "scenes.toml"
    _edit(scenes, 'goto = "vault"', 'goto = "vaul"')
    _edit(scenes, 'if = "trust >= 2"', 'if = "trsut >= 2"')
    (pack / "broken.toml").write_text("[[scene]]\nid = \n")
    result = _thaw("check", str(pack))
    assert result.returncode == 1
    out = result.stdout
    assert "Traceback" not in out + result.stderr
    assert f"{pack}/broken.toml:2: TOML syntax error" in out
    assert "scenes.toml:57: scene 'hall', choice 'open_door': goto names unknown scene 'vaul' (did you mean 'vault'?)" in out
    assert "choice 'talk': in condition: unknown name 'trsut'" in out
    assert out.strip().splitlines()[-1] == "3 errors, 0 warnings: the story could not be loaded"


def test_cli_json(pack: Path):
    _edit(pack / "one" / "scenes.toml", 'goto = "vault"', 'goto = "vaul"')
    result = _thaw("check", str(pack), "--format", "json")
    data = json.loads(result.stdout)
    assert result.returncode == 1
    assert data["errors"] == 1
    problem = data["problems"][0]
    assert problem["scene"] == "hall" and problem["choice"] == "open_door" and problem["line"] == 57


def test_shipped_story_passes_strict():
    result = _thaw("check", "scenes", "--strict")
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 errors, 0 warnings:" in result.stdout
