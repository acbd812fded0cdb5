"""`thaw playtest --prove`: verdicts with witnesses and proofs, dead ends, traps, and a brute-force cross-check."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from game.story.engine import _Ctx, available_choices, choose, start_at
from game.story.loader import load_story
from game.tools.playtest.prove import prove
from game.tools.playtest.walk import _concrete_outcomes
from game.tools.playtest.witness import recording
from game.tools.transcript import replay

ROOT = Path(__file__).resolve().parent.parent


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"test setup: {old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def _brute(story):
    """Every state a player can reach, by plain enumeration: what is reached, and the dead ends."""
    reached: set[str] = set()
    dead: set[str] = set()
    stack = [start_at(story, story.info.start)]
    while stack:
        state = stack.pop()
        scene = story.scenes[state.scene]
        reached.add(state.scene)
        ctx = _Ctx(state)
        reached |= {f"{scene.id}#{k + 1}" for k in range(len(scene.passage))
                    if story.conditions[("passage", scene.id, k)](ctx)}
        if scene.is_ending:
            continue
        options = available_choices(story, state)
        if not options:
            dead.add(state.scene)
        for choice in options:
            reached.add(f"{scene.id}.{choice.id}")
            for after, _step, label in _concrete_outcomes(story, state, choice):
                if choice.branch:
                    reached.add(label)
                stack.append(after)
    return reached, dead


PACKS = ["tests/fixtures/mini", "examples/minimal"]


@pytest.mark.parametrize("folder", PACKS)
def test_verdicts_agree_with_brute_force(folder):
    story = load_story(ROOT / folder)
    report = prove(story)
    reached, dead = _brute(story)
    assert {v.id for v in report.verdicts if v.status == "reached"} == reached
    assert not report.of("unknown")
    assert {d.scene for d in report.dead_ends if d.status == "found"} == dead


@pytest.mark.parametrize("folder", PACKS)
def test_what_the_walk_leaves_open_is_settled_right(folder, monkeypatch):
    """With the walk made as coarse as it gets (every flag forgotten at once) and no witness
    search, the random plays and the slices settle every open target, as brute force does."""
    import game.tools.playtest.walk as walk

    monkeypatch.setattr(walk, "MAX_KEYS", 1)
    story = load_story(ROOT / folder)
    report = prove(story, budget=1)
    reached, dead = _brute(story)
    assert {v.id for v in report.verdicts if v.status == "reached"} == reached
    assert not report.of("unknown") and report.searched == 0
    assert {d.scene for d in report.dead_ends if d.status == "found"} == dead
    for v in report.verdicts:
        if v.status == "reached":
            assert replay(story, recording(story, v.path)).ok, v.id


def test_a_slice_proves_what_the_coarse_walk_cannot(pack: Path, monkeypatch):
    """Taking the key now clears `warned`: each flag holds in the hall on some path, never both.
    The coarse walk forgets both flags; the slice that keeps them proves the passage unreachable."""
    import game.tools.playtest.walk as walk

    scenes = pack / "one" / "scenes.toml"
    _edit(scenes, "set = { has_key = true }", "set = { has_key = true, warned = false }")
    _edit(scenes, 'if = "warned and nerve < 5"', 'if = "warned and has_key"')
    monkeypatch.setattr(walk, "MAX_KEYS", 1)
    story = load_story(pack)
    verdicts = {v.id: v for v in prove(story, budget=1).verdicts}
    assert verdicts["hall#1"].status == "reached"  # has_key alone
    passage = verdicts["hall#2"]
    assert passage.status == "unreachable", passage.why
    assert "(has_key, warned) is one of" in passage.why and "an abstract walk that keeps only has_key, warned" in passage.why
    reached, _dead = _brute(story)
    assert "hall#2" not in reached and "hall#1" in reached


def _broken(pack: Path) -> Path:
    """The fixture with a known unreachable passage, a known dead end and a known trap."""
    scenes = pack / "one" / "scenes.toml"
    # unreachable: `warned` is set only by `peek`, which leads back to start and then to hall with nerve < 5;
    # ask instead for warned with nerve at its max, which no path reaches
    _edit(scenes, 'if = "warned and nerve < 5"', 'if = "warned and nerve >= 5"')
    # dead end: the hall's way home needs the key; a player who waited has no key and no trust 3
    _edit(scenes, 'if = "trust >= 2"', 'if = "trust >= 3"')
    _edit(scenes, '  goto = "end_quiet"\n  add = { nerve = -9 }', '  goto = "end_quiet"\n  if = "has_key"\n  add = { nerve = -9 }')
    return pack


def test_a_known_unreachable_passage_and_dead_end(pack: Path):
    story = load_story(_broken(pack))
    report = prove(story)
    verdicts = {v.id: v for v in report.verdicts}
    passage = verdicts["hall#2"]
    assert passage.status == "unreachable"
    assert "nerve" in passage.why and "'warned and nerve >= 5' never holds" in passage.why
    assert verdicts["hall.talk"].status == "unreachable" and "trust" in verdicts["hall.talk"].why
    dead = [d for d in report.dead_ends if d.status == "found"]
    assert [d.scene for d in dead] == ["hall"] and [s.choice for s in dead[0].path] == ["wait"]
    assert dead[0].values["has_key"] is False
    assert report.failed and not report.of("unknown")
    reached, brute_dead = _brute(story)
    assert {v.id for v in report.verdicts if v.status == "reached"} == reached and brute_dead == {"hall"}


def test_a_known_trap(pack: Path):
    scenes = pack / "one" / "scenes.toml"
    _edit(scenes, '  [[scene.choice]]\n  id = "leave"', '  [[scene.choice]]\n  id = "wander"\n  text = "Wander."\n'
          '  goto = "corridor"\n\n  [[scene.choice]]\n  id = "leave"')
    scenes.write_text(scenes.read_text() + '\n[[scene]]\nid = "corridor"\nchapter = "one"\ndate = 1953-03-06\n'
                      'place = "x"\nevent = "e-death"\ntext = "x"\n  [[scene.choice]]\n  id = "pace"\n'
                      '  text = "Pace."\n  goto = "corridor"\n')
    report = prove(load_story(pack))
    assert report.traps.status == "found" and report.traps.scene == "corridor"
    assert [s.choice for s in report.traps.path][-1] == "wander"


def test_witnesses_replay_to_their_target(pack: Path):
    story = load_story(ROOT / "examples" / "minimal")
    report = prove(story)
    for verdict in report.of("reached"):
        rec = recording(story, verdict.path)
        result = replay(story, rec)
        assert result.ok, (verdict.id, result.error)
        assert result.state.scene == (verdict.path[-1].scene if verdict.kind in ("choice", "branch") else verdict.scene) \
            or verdict.kind in ("choice", "branch")
        if verdict.kind in ("scene", "ending", "passage"):
            assert result.state.scene == verdict.scene


def test_a_witness_needing_chance_replays_with_its_outcomes(mini):
    # two unlikely chances in a row: no seed below the search limit may give them, so the outcomes are kept
    from game.tools.playtest.witness import seed_for

    assert seed_for([(1, True)] * 3, tries=50) is None
    report = prove(mini)
    caught = next(v for v in report.verdicts if v.id == "ally_scene.gamble/branch1")
    rec = recording(mini, caught.path)
    assert replay(mini, rec).state.scene == "end_caught"
    forced = type(rec)(rec.story, 12345, rec.choices, chance=[True])
    assert replay(mini, forced).state.scene == "end_caught"
    assert replay(mini, type(rec)(rec.story, 12345, rec.choices, chance=[False])).state.scene == "vault"


def test_chapter_scope(mini):
    report = prove(mini, "two")
    assert {v.scene for v in report.verdicts} == {s for s, sc in mini.scenes.items() if sc.chapter == "two"}
    assert not report.failed


def test_cli_prove_and_witness(tmp_path: Path):
    run = lambda *a: subprocess.run([sys.executable, "-m", "game", *a], capture_output=True, text=True,  # noqa: E731
                                    cwd=ROOT, timeout=120)
    result = run("playtest", "tests/fixtures/mini", "--prove", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["ok"] and data["counts"]["unknown"] == 0
    result = run("playtest", "tests/fixtures/mini", "--witness", "vault.take")
    assert result.returncode == 0, result.stderr
    (tmp_path / "w.json").write_text(result.stdout)
    replayed = run("replay", str(tmp_path / "w.json"), "--scenes", "tests/fixtures/mini")
    assert replayed.returncode == 0 and "THE END: The File" in replayed.stdout
    assert run("playtest", "tests/fixtures/mini", "--prove", "--chapter", "nope").returncode == 2


def test_the_shipped_story_has_no_unknowns(shipped):
    """The issue's bar is no unknowns: what is unreachable is the story's business (the lead's), and
    the proof says why; dead ends and traps are proven absent."""
    report = prove(shipped)  # the whole story (about 10 s): its last chapters are where unknowns were
    assert not report.of("unknown"), [(v.id, v.why) for v in report.of("unknown")]
    assert report.traps.status == "none" and all(d.status == "none" for d in report.dead_ends)
    assert report.searched < 100_000  # the slices and the random plays settle what the walk leaves open
    for verdict in report.of("unreachable"):
        assert any(proof in verdict.why for proof in ("never holds", "no path reaches", "holds for none of them")), verdict.why


@pytest.mark.parametrize("folder", ["tests/fixtures/mini", "examples/minimal"])
def test_witness_points_follow_the_engine(folder):
    """The walk advances each carried play's abstract point by the choice's effects instead of
    re-reading the engine's state: the two must agree on every play it keeps."""
    from game.story.engine import new_game
    from game.tools.playtest.walk import Walk

    story = load_story(ROOT / folder)
    walk = Walk(story, set(story.scenes), set(story.scenes), new_game(story, seed=0))
    checked = []

    def done(sid, entries):
        for entry in entries:
            for witness in entry.witnesses:
                assert witness.point == walk.space.of(witness.state), (sid, witness.path)
                checked.append(sid)

    walk.run(done)
    assert len(set(checked)) == len(story.scenes)
