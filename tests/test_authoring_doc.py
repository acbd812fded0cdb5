"""docs/authoring.md keeps up with the code: every loader and checker message, the example files."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "authoring.md"
#: (file, how the message is passed) -> the argument position of the message in such calls
MESSAGE_CALLS = {"error": 1, "Problem": 2, "_warn": 3, "_warn_decl": 2, "ConditionError": 0, "ValueError": 0}
MESSAGE_FUNCTIONS = {"_explain", "_describe_forbidden", "_advice", "too_long_number", "syntax_hint"}  # functions whose return values are messages
SOURCES = ["game/story/loader.py", "game/story/recovery.py", "game/tools/check.py", "game/story/conditions.py",
           "game/story/model.py", "game/story/boundary.py"]


def _literal_parts(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
    if isinstance(node, ast.BinOp):
        return _literal_parts(node.left) + _literal_parts(node.right)
    return []


def message_stems(path: Path) -> list[tuple[int, str]]:
    """The longest fixed piece of every message a writer can see, with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    messages: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            position = MESSAGE_CALLS.get(name or "")
            if position is not None and len(node.args) > position:
                messages.append(node.args[position])
        if isinstance(node, ast.FunctionDef) and node.name in MESSAGE_FUNCTIONS:
            messages += [r.value for r in ast.walk(node) if isinstance(r, ast.Return) and r.value is not None]
    stems = []
    for message in messages:
        parts = [p for p in _literal_parts(message) if len(p.strip()) >= 6]
        if parts:
            stems.append((message.lineno, max(parts, key=len)))
    return stems


def _all_stems() -> list[tuple[str, int, str]]:
    return [(source, line, stem) for source in SOURCES for line, stem in message_stems(ROOT / source)]


def test_the_stem_finder_finds_messages():
    stems = {stem for _source, _line, stem in _all_stems()}
    assert "the file is not UTF-8 text: save it with UTF-8 encoding" in stems
    assert "no path from the start scene reaches this scene" in stems
    assert "chance() is allowed only in a choice's branch conditions" in stems
    assert len(stems) > 80


@pytest.mark.parametrize(("source", "line", "stem"), _all_stems(), ids=lambda v: str(v)[:60] if isinstance(v, str) else "")
def test_every_message_is_explained_in_the_guide(source: str, line: int, stem: str):
    assert stem in GUIDE.read_text(encoding="utf-8"), (
        f"{source}:{line}: the message containing {stem!r} is not in docs/authoring.md section 12: "
        "add it with what a writer should do about it"
    )


@pytest.mark.parametrize("path", sorted((ROOT / "examples" / "minimal").rglob("*.toml")), ids=lambda p: p.name)
def test_the_worked_example_is_quoted_whole(path: Path):
    assert f"```toml\n{path.read_text(encoding='utf-8')}```" in GUIDE.read_text(encoding="utf-8"), (
        f"docs/authoring.md section 3 no longer quotes {path.relative_to(ROOT)} as it is"
    )


def test_every_tool_is_documented():
    from game.cli import COMMANDS

    text = GUIDE.read_text(encoding="utf-8")
    for command in set(COMMANDS) - {"saves"}:
        assert f"thaw {command}" in text
    for option in ("--scene", "--set", "--watch", "--dev", "--record", "--bless", "--exhaustive", "--max-states", "--svg"):
        assert option in text


def _console_runs() -> list[tuple[str, str]]:
    """(command, output shown) of each `$ thaw ... examples/minimal` in the guide's console blocks."""
    runs = []
    for block in re.findall(r"```console\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S):
        parts = re.split(r"^\$ ", block, flags=re.M)[1:]
        for part in parts:
            command, _, output = part.partition("\n")
            if (command.startswith("thaw ") and "examples/minimal" in command and ">" not in command
                    and not command.startswith("thaw notes")):  # notes need a save folder: tests/test_notes.py
                runs.append((command, output))
    return runs


@pytest.mark.parametrize(("command", "shown"), _console_runs(), ids=lambda v: v[:50])
def test_the_guides_output_is_real(command: str, shown: str):
    """What the guide shows a command printing is what it prints (times aside)."""
    import shlex

    result = subprocess.run([sys.executable, "-m", "game", *shlex.split(command)[1:]], capture_output=True,
                            text=True, cwd=ROOT, timeout=120)
    seconds = re.compile(r"\d+\.\d\d s\b")
    assert seconds.sub("T s", result.stdout).rstrip("\n") == seconds.sub("T s", shown).rstrip("\n"), command


def test_the_guide_shows_real_output_of_each_tool():
    commands = " ".join(c for c, _ in _console_runs())
    for tool in ("playtest examples/minimal --prove", "playtest examples/minimal --hits", "balance", "style"):
        assert f"thaw {tool}" in commands
