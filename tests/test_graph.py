"""`thaw graph`: DOT and Mermaid output, chapter filter, SVG through Graphviz (or a clear message)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from game.tools.graph import GraphError, edges, to_dot, to_mermaid

ROOT = Path(__file__).resolve().parent.parent


def _thaw(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "game", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=120)


def test_every_choice_and_branch_is_an_edge(mini):
    found = list(edges(mini))
    assert len(found) == 10 + 1
    kinds = {(e.source, e.target, e.kind) for e in found}
    assert ("hall", "vault", "conditional") in kinds
    assert ("ally_scene", "end_caught", "branch") in kinds
    assert ("start", "hall", "plain") in kinds


def test_dot_has_chapters_as_clusters_and_styled_endings_and_conditions(mini):
    dot = to_dot(mini)
    assert dot.startswith('digraph "fixture" {') and dot.rstrip().endswith("}")
    assert 'subgraph "cluster_one"' in dot and 'label="Chapter 1: The Key"' in dot
    assert 'subgraph "cluster_two"' in dot
    for sid in mini.scenes:
        assert re.search(rf'^    "{sid}" \[', dot, re.M), sid
    assert '"end_quiet" [label="A Quiet Life\\n(end_quiet, 1953-04-06)", tooltip="Home", shape="doubleoctagon"' in dot
    assert 'shape="octagon"' in dot  # the interim ending
    assert '"hall" -> "vault" [label="open_door\\nif has_key", style="dashed"' in dot
    assert '"ally_scene" -> "end_caught" [label="gamble, branch 1\\nif chance(50) and nerve <= 5", style="dotted"' in dot
    assert '"start" -> "start" [label="peek (once)"]' in dot
    assert '"__start" -> "start";' in dot
    assert 'visits(\\"ally_scene\\")' in dot  # quotes escaped


def test_chapter_filter_shows_neighbours_as_stubs(mini):
    dot = to_dot(mini, "two")
    assert 'subgraph "cluster_one"' not in dot and 'subgraph "cluster_two"' in dot
    assert '"hall" [label="hall\\n(Chapter 1: The Key)", style="rounded,dashed"' in dot
    assert '"start"' not in dot and "__start" not in dot
    with pytest.raises(GraphError, match=r"unknown chapter 'three' \(the chapters are: one, two\)"):
        to_dot(mini, "three")


def test_mermaid(mini):
    text = to_mermaid(mini)
    lines = text.splitlines()
    assert lines[:4] == ["---", 'title: "The Test Pack (fixture 1.0.0)"', "---", "flowchart TB"]
    assert '  subgraph ch1["Chapter 1: The Key"]' in lines and '  subgraph ch2["Chapter 2: The Vault"]' in lines
    assert lines.count("  end") == 2
    assert '    s_end_quiet{{"A Quiet Life<br/>(end_quiet, 1953-04-06)"}}' in lines
    assert '    s_end_caught(["Caught<br/>(end_caught, 1962-01-01)"])' in lines
    assert '  s_hall -.->|"talk<br/>if trust #gt;= 2"| s_ally_scene' in lines
    assert '  s_start -->|"take_key"| s_hall' in lines
    assert "#quot;start.take_key#quot;" in text
    arrows = [line for line in lines if re.match(r"  s_\w+ (-->|-\.->)\|", line)]
    assert len(arrows) == 11
    # linkStyle numbers the arrows in order: the conditional ones are dashed, drawn in blue
    conditional = [n for n, line in enumerate(arrows) if "-.->" in line and "branch" not in line]
    assert f"  linkStyle {','.join(map(str, conditional))} stroke:#1f5fa8,color:#1f5fa8" in lines
    assert "  class s_start,s_ally_scene start" in lines
    chapter = to_mermaid(mini, "one")
    assert "s_hall -->|\"leave\"| s_end_quiet" in chapter and "class s_ally_scene,s_end_quiet,s_vault outside" in chapter


def test_mermaid_ids_never_collide_or_use_keywords(pack: Path):
    for path in (pack / "one" / "scenes.toml", pack / "two" / "scenes.toml"):
        path.write_text(path.read_text().replace('"end_quiet"', '"end-quiet"').replace('"vault"', '"end"'))
    from game.story.loader import load_story

    text = to_mermaid(load_story(pack))
    assert "s_end_quiet{{" in text and " end_quiet" not in text
    assert "    s_end(" in text and "| s_end\n" in text


def test_cli_writes_files(tmp_path: Path):
    out = tmp_path / "g.mmd"
    result = _thaw("graph", "tests/fixtures/mini", "--format", "mermaid", "-o", str(out))
    assert result.returncode == 0 and result.stdout == ""
    assert out.read_text().startswith("---\ntitle:")
    result = _thaw("graph", "tests/fixtures/mini", "--chapter", "nope")
    assert result.returncode == 1 and "unknown chapter 'nope'" in result.stderr and "Traceback" not in result.stderr
    result = _thaw("graph", "tests/fixtures/mini")
    assert result.returncode == 0 and result.stdout.startswith('digraph "fixture"')


def _env_with_path(path: Path) -> dict[str, str]:
    return {**os.environ, "PATH": str(path)}


def test_svg_without_graphviz_is_a_clear_message(tmp_path: Path):
    empty = tmp_path / "bin"
    empty.mkdir()
    svg = tmp_path / "g.svg"
    result = _thaw("graph", "tests/fixtures/mini", "--svg", str(svg), env=_env_with_path(empty))
    assert result.returncode == 1
    assert "Graphviz is not installed" in result.stderr and "apt install graphviz" in result.stderr
    assert "Traceback" not in result.stderr and not svg.exists()


@pytest.mark.skipif(os.name == "nt", reason="a shell script stands in for dot")
def test_svg_runs_dot_with_the_dot_text(tmp_path: Path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "dot"
    fake.write_text(f'#!/bin/sh\necho "$@" > "{bin_dir}/args"\nwhile read -r line; do echo "$line"; done > "$3"\n')
    fake.chmod(0o755)
    svg = tmp_path / "g.svg"
    result = _thaw("graph", "tests/fixtures/mini", "--format", "mermaid", "--svg", str(svg), env=_env_with_path(bin_dir))
    assert result.returncode == 0, result.stderr
    assert (bin_dir / "args").read_text().split() == ["-Tsvg", "-o", str(svg)]
    assert svg.read_text().startswith('digraph "fixture"')  # SVG always comes from the DOT text
    fake.write_text("#!/bin/sh\necho 'Error: syntax error in line 3' >&2\nexit 1\n")
    result = _thaw("graph", "tests/fixtures/mini", "--svg", str(svg), env=_env_with_path(bin_dir))
    assert result.returncode == 1 and "Graphviz `dot` failed: Error: syntax error in line 3" in result.stderr
