"""`thaw graph`: the scene graph as Graphviz DOT or Mermaid, chapters drawn as clusters.

Scenes are boxes labelled with their id and date; the story's start has an arrow from a dot;
endings are octagons (double for a final ending) coloured by tone. A choice is an arrow labelled
with its id: solid when it is always open, dashed and blue with its condition when it has an `if`,
with "(once)" when it can be taken once. A branch of a choice is a dotted red arrow labelled with
its condition. `--chapter C` draws one chapter, with the scenes it leads to or comes from in other
chapters as grey dashed boxes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from game.story.model import Scene
from game.story.story import Story

TONE_COLOURS = {
    "tragic": "#f4cccc",
    "bitter": "#fce5cd",
    "hopeful": "#d9ead3",
    "ambiguous": "#e6e0f0",
}
ENDING_COLOUR = "#eeeeee"
CONDITION_COLOUR = "#1f5fa8"
BRANCH_COLOUR = "#a83232"
GRAPHVIZ_HINT = (
    "Graphviz is not installed (no `dot` command on PATH): install it (Debian/Ubuntu: apt install graphviz; "
    "macOS: brew install graphviz; Windows: winget install graphviz), or write the DOT text with "
    "`thaw graph -o story.dot` and render it elsewhere"
)


class GraphError(Exception):
    """Something the writer can fix: an unknown chapter, a missing Graphviz, a failed render."""


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str
    kind: str  # "plain", "conditional" or "branch"


def edges(story: Story) -> Iterator[Edge]:
    """Every arrow of the graph: one per choice and one per branch of a choice."""
    for scene in story.scenes.values():
        for choice in scene.choice:
            label = choice.id + (" (once)" if choice.once else "")
            if choice.if_ is not None:
                yield Edge(scene.id, choice.goto, f"{label}\nif {choice.if_}", "conditional")
            else:
                yield Edge(scene.id, choice.goto, label, "plain")
            for k, branch in enumerate(choice.branch, start=1):
                yield Edge(scene.id, branch.goto, f"{choice.id}, branch {k}\nif {branch.if_}", "branch")


def _select(story: Story, chapter: str | None) -> tuple[list[Scene], set[str], list[Edge]]:
    """The scenes drawn in full, the outside scenes drawn as stubs, and the arrows between them."""
    if chapter is not None and chapter not in story.chapters:
        known = ", ".join(story.chapters) or "none"
        raise GraphError(f"unknown chapter '{chapter}' (the chapters are: {known})")
    inside = [s for s in story.scenes.values() if chapter is None or s.chapter == chapter]
    ids = {s.id for s in inside}
    chosen = [e for e in edges(story) if e.source in ids or e.target in ids]
    outside = {e.source for e in chosen if e.source not in ids} | {e.target for e in chosen if e.target not in ids}
    return inside, outside, chosen


def _chapter_label(story: Story, chapter_id: str) -> str:
    chapter = story.chapters.get(chapter_id)
    return f"Chapter {chapter.number}: {chapter.title}" if chapter else chapter_id


def _ordered_chapters(story: Story, scenes: list[Scene]) -> list[str]:
    present = {s.chapter for s in scenes}
    order = [c for c in story.chapters if c in present]
    return order + sorted(present - set(order))


# ---- DOT -----------------------------------------------------------------------------------------


def _dq(text: str) -> str:
    """A DOT double-quoted string; newlines become centred line breaks."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _dot_node(story: Story, scene: Scene) -> str:
    attrs = {"label": f"{scene.id}\n{scene.date.isoformat()}", "tooltip": scene.place}
    if scene.ending is not None:
        attrs.update(
            label=f"{scene.ending.title}\n({scene.id}, {scene.date.isoformat()})",
            shape="doubleoctagon" if scene.ending.kind == "final" else "octagon",
            fillcolor=TONE_COLOURS.get(scene.ending.tone, ENDING_COLOUR),
        )
    chapter = story.chapters.get(scene.chapter)
    if scene.id == story.info.start or (chapter is not None and chapter.start == scene.id):
        attrs["penwidth"] = "2.5"
    return f"{_dq(scene.id)} [{', '.join(f'{k}={_dq(v)}' for k, v in attrs.items())}];"


def to_dot(story: Story, chapter: str | None = None) -> str:
    """The scene graph in Graphviz DOT."""
    inside, outside, chosen = _select(story, chapter)
    title = f"{story.info.title} ({story.info.id} {story.info.version})"
    if chapter is not None:
        title += f": {_chapter_label(story, chapter)}"
    lines = [
        f"digraph {_dq(story.info.id)} {{",
        f"  graph [label={_dq(title)}, labelloc=t, fontname=Helvetica, rankdir=TB, newrank=true];",
        '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname=Helvetica, fontsize=10];',
        "  edge [fontname=Helvetica, fontsize=9];",
    ]
    if any(s.id == story.info.start for s in inside):
        lines.append('  "__start" [shape=point, width=0.15, label=""];')
        lines.append(f'  "__start" -> {_dq(story.info.start)};')
    for chapter_id in _ordered_chapters(story, inside):
        lines.append(f"  subgraph {_dq('cluster_' + chapter_id)} {{")
        lines.append(f'    label={_dq(_chapter_label(story, chapter_id))}; style="rounded"; color="#999999";')
        lines.extend(f"    {_dot_node(story, s)}" for s in inside if s.chapter == chapter_id)
        lines.append("  }")
    for sid in sorted(outside):
        label = f"{sid}\n({_chapter_label(story, story.scenes[sid].chapter)})"
        lines.append(f'  {_dq(sid)} [label={_dq(label)}, style="rounded,dashed", color="#888888", fontcolor="#666666"];')
    for edge in chosen:
        attrs = {"label": edge.label}
        if edge.kind == "conditional":
            attrs.update(style="dashed", color=CONDITION_COLOUR, fontcolor=CONDITION_COLOUR)
        elif edge.kind == "branch":
            attrs.update(style="dotted", color=BRANCH_COLOUR, fontcolor=BRANCH_COLOUR)
        lines.append(f"  {_dq(edge.source)} -> {_dq(edge.target)} [{', '.join(f'{k}={_dq(v)}' for k, v in attrs.items())}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


# ---- Mermaid -------------------------------------------------------------------------------------


def _mq(text: str) -> str:
    """A Mermaid quoted label: entity codes for quotes and angle brackets, <br/> for newlines."""
    for char, code in (("&", "#amp;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(char, code)
    return '"' + text.replace("\n", "<br/>") + '"'


class _MermaidIds:
    """Mermaid node ids: 's_' + the scene id ('-' becomes '_'), made unique; never a keyword."""

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}
        self.used: set[str] = set()

    def __call__(self, scene_id: str) -> str:
        if scene_id not in self.ids:
            base = "s_" + scene_id.replace("-", "_")
            name, n = base, 2
            while name in self.used:
                name, n = f"{base}_{n}", n + 1
            self.used.add(name)
            self.ids[scene_id] = name
        return self.ids[scene_id]


def to_mermaid(story: Story, chapter: str | None = None) -> str:
    """The scene graph as a Mermaid flowchart (renders on GitHub and in many editors)."""
    inside, outside, chosen = _select(story, chapter)
    mid = _MermaidIds()
    title = f"{story.info.title} ({story.info.id} {story.info.version})"
    if chapter is not None:
        title += f": {_chapter_label(story, chapter)}"
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}", "---", "flowchart TB"]
    starts: list[str] = []
    endings: dict[str, list[str]] = {}
    for n, chapter_id in enumerate(_ordered_chapters(story, inside), start=1):
        lines.append(f"  subgraph ch{n}[{_mq(_chapter_label(story, chapter_id))}]")
        for scene in (s for s in inside if s.chapter == chapter_id):
            node = mid(scene.id)
            if scene.ending is not None:
                label = f"{scene.ending.title}\n({scene.id}, {scene.date.isoformat()})"
                shape = ("{{", "}}") if scene.ending.kind == "final" else ("([", "])")
                endings.setdefault(scene.ending.tone or "none", []).append(node)
            else:
                label = f"{scene.id}\n{scene.date.isoformat()}"
                shape = ("(", ")")
            lines.append(f"    {node}{shape[0]}{_mq(label)}{shape[1]}")
            ch = story.chapters.get(scene.chapter)
            if scene.id == story.info.start or (ch is not None and ch.start == scene.id):
                starts.append(node)
        lines.append("  end")
    for sid in sorted(outside):
        label = f"{sid}\n({_chapter_label(story, story.scenes[sid].chapter)})"
        lines.append(f"  {mid(sid)}[{_mq(label)}]")
    link_styles: dict[str, list[int]] = {"conditional": [], "branch": []}
    for n, edge in enumerate(chosen):
        arrow = "-->" if edge.kind == "plain" else "-.->"
        lines.append(f"  {mid(edge.source)} {arrow}|{_mq(edge.label)}| {mid(edge.target)}")
        if edge.kind in link_styles:
            link_styles[edge.kind].append(n)
    lines.append("  classDef start stroke-width:3px")
    lines.append("  classDef outside stroke-dasharray:4 3,color:#666666")
    for tone in sorted(endings):
        lines.append(f"  classDef ending_{tone} fill:{TONE_COLOURS.get(tone, ENDING_COLOUR)},stroke:#333333,stroke-width:2px")
    if starts:
        lines.append(f"  class {','.join(starts)} start")
    if outside:
        lines.append(f"  class {','.join(mid(s) for s in sorted(outside))} outside")
    for tone, nodes in sorted(endings.items()):
        lines.append(f"  class {','.join(nodes)} ending_{tone}")
    colours = {"conditional": CONDITION_COLOUR, "branch": BRANCH_COLOUR}
    for kind, numbers in link_styles.items():
        if numbers:
            lines.append(f"  linkStyle {','.join(map(str, numbers))} stroke:{colours[kind]},color:{colours[kind]}")
    return "\n".join(lines) + "\n"


# ---- SVG -----------------------------------------------------------------------------------------


def render_svg(dot_text: str, path: str | Path) -> None:
    """Render DOT to an SVG file with Graphviz `dot`; GraphError when it is missing or fails."""
    exe = shutil.which("dot")
    if exe is None:
        raise GraphError(GRAPHVIZ_HINT)
    try:
        result = subprocess.run([exe, "-Tsvg", "-o", str(path)], input=dot_text, capture_output=True, text=True,
                                timeout=300)
    except FileNotFoundError:
        raise GraphError(GRAPHVIZ_HINT) from None
    except subprocess.TimeoutExpired:
        raise GraphError("Graphviz `dot` took more than 5 minutes; try --chapter to draw one chapter") from None
    except OSError as exc:
        raise GraphError(f"cannot run Graphviz `dot`: {exc.strerror or exc}") from None
    if result.returncode != 0:
        detail = result.stderr.strip() or f"exit status {result.returncode}"
        raise GraphError(f"Graphviz `dot` failed: {detail}")


def main(folder: str | None, *, fmt: str = "dot", chapter: str | None = None, output: str | None = None,
         svg: str | None = None) -> int:
    from game.session import open_story

    story = open_story(folder)
    if story is None:
        return 1
    try:
        text = to_mermaid(story, chapter) if fmt == "mermaid" else to_dot(story, chapter)
        if svg is not None:
            render_svg(text if fmt == "dot" else to_dot(story, chapter), svg)
            print(f"wrote {svg}", file=sys.stderr)
    except GraphError as exc:
        from game.text import terminal_text

        print(terminal_text(f"thaw graph: {exc}"), file=sys.stderr)
        return 1
    if output is not None:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"thaw graph: cannot write {output}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        print(f"wrote {output}", file=sys.stderr)
    elif svg is None:
        from game.text import terminal_text

        sys.stdout.write(terminal_text(text))
    return 0


__all__ = ["Edge", "GraphError", "edges", "main", "render_svg", "to_dot", "to_mermaid"]
