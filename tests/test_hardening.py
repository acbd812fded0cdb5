"""Hostile and mutated input: the loader and the save store answer with their own errors, fast.

The fuzz tests here are bounded for CI. Run them much longer with, for example:

    THAW_FUZZ_EXAMPLES=20000 python -m pytest tests/test_hardening.py -k fuzz

Each test's examples reuse one scratch folder (tests/fuzzing.py), so 20,000 take minutes.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from fuzzing import Scratch, fuzz
from hypothesis import given
from hypothesis import strategies as st

from game.saves import MAX_LABEL, SaveError, SaveStore
from game.story.engine import choose, new_game
from game.story.loader import load_story
from game.story.problems import StoryError
from game.text import UNSAFE, iter_strings

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
FILES = sorted(p.relative_to(MINI).as_posix() for p in MINI.rglob("*.toml"))
FUZZ = fuzz(150)
PACKS = {name: Scratch(f"hardening-{name}", MINI) for name in ("bytes", "struct", "text")}
SAVES = Scratch("hardening-saves")


def _load_or_story_error(folder: Path) -> None:
    try:
        load_story(folder)
    except StoryError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.path and str(folder.name) in problem.path or problem.path.endswith(".toml") or problem.line == 0
            assert isinstance(problem.line, int) and problem.line >= 0
            assert problem.message
            assert UNSAFE.search(str(problem)) is None  # never a raw control character in a message


@FUZZ
@given(file=st.sampled_from(FILES), data=st.data())
def test_fuzz_byte_mutations(file, data):
    folder = PACKS["bytes"].fresh()
    path = folder / file
    raw = bytearray(path.read_bytes())
    for _ in range(data.draw(st.integers(1, 6))):
        op = data.draw(st.sampled_from(["flip", "delete", "insert", "truncate"]))
        at = data.draw(st.integers(0, max(0, len(raw) - 1)))
        if op == "flip" and raw:
            raw[at] = data.draw(st.integers(0, 255))
        elif op == "delete" and raw:
            del raw[at : at + data.draw(st.integers(1, 40))]
        elif op == "insert":
            raw[at:at] = data.draw(st.binary(min_size=1, max_size=20))
        else:
            raw = raw[:at]
    path.write_bytes(bytes(raw))
    _load_or_story_error(folder)


TOKENS = st.sampled_from(
    ['"', "'", "[", "]", "[[scene]]", "[[scene.choice]]", "=", "{", "}", "\n", "id", "goto", "if", "not ",
     "1953-03-05", "true", "12", '"""', "#", ",", ".", "scene", "choice", "set", "add", "chance(", "visited(",
     "ending", "é", "\x00", "\ufeff"]
)


@FUZZ
@given(file=st.sampled_from(FILES), data=st.data())
def test_fuzz_structural_mutations(file, data):
    folder = PACKS["struct"].fresh()
    path = folder / file
    lines = path.read_text(encoding="utf-8").splitlines()
    for _ in range(data.draw(st.integers(1, 5))):
        op = data.draw(st.sampled_from(["drop", "dup", "swap", "token", "value"]))
        i = data.draw(st.integers(0, max(0, len(lines) - 1)))
        if not lines:
            lines = [""]
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "token":
            lines[i] = lines[i] + data.draw(TOKENS)
        elif "=" in lines[i]:
            key = lines[i].split("=", 1)[0]
            lines[i] = key + "= " + data.draw(st.sampled_from(['""', "0", "-1", "[]", "{}", "true", '"x y"', '"nowhere"',
                                                                "1953-13-40", "99999999999999999999", '"standing >= 3"']))
    path.write_text("\n".join(lines), encoding="utf-8")
    _load_or_story_error(folder)


@FUZZ
@given(data=st.data())
def test_fuzz_save_files(data, mini):
    folder = SAVES.fresh()
    store = SaveStore(folder)
    store.save(1, mini, new_game(mini, seed=1), label="fuzz")
    path = folder / "1.json"
    raw = bytearray(path.read_bytes())
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] = data.draw(st.integers(0, 255))
    path.write_bytes(bytes(raw))
    try:
        loaded = store.load(1, mini)
    except SaveError as exc:
        assert str(exc) and UNSAFE.search(str(exc)) is None
    else:
        assert loaded.state.scene in mini.scenes
    listed = store.list()
    assert [s.name for s in listed] and all(UNSAFE.search(s.damaged or "") is None for s in listed)


#: (file, the field's line as it is) -> the line written with a random text in its place
FIELDS = [
    ("one/scenes.toml", 'text = "Take the key."'),
    ("one/scenes.toml", 'place = "The hall"'),
    ("one/scenes.toml", 'result = "The key is heavier than it looks."'),
    ("story.toml", 'title = "The Test Pack"'),
    ("story.toml", '[stats.nerve]'),
    ("codex.toml", 'name = "Nina Orlova"'),
]
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


@FUZZ
@given(field=st.sampled_from(FIELDS), text=ANY_TEXT)
def test_fuzz_any_text_in_a_field(field, text):
    """Any text in a field, written as TOML escapes: it loads only if every string of the story
    keeps the character rule; else every problem is located and printable."""
    file, line = field
    folder = PACKS["text"].fresh()
    path = folder / file
    key = line.split(" = ")[0]
    new = f"[stats.{json.dumps(text)}]" if key == "[stats.nerve]" else f"{key} = {json.dumps(text)}"
    source = path.read_text(encoding="utf-8")
    assert line in source, (file, line)
    path.write_text(source.replace(line, new, 1), encoding="utf-8")
    try:
        story = load_story(folder)
    except StoryError:
        _load_or_story_error(folder)
        return
    parts = [story.info, *story.stats.values(), *story.scenes.values(), *story.codex.values()]
    for part in parts:
        for _where, value, _is_key in iter_strings(part.model_dump()):
            assert UNSAFE.search(value) is None
    assert list(story.stats) == [k for k in story.stats if UNSAFE.search(k) is None]


@FUZZ
@given(field=st.sampled_from(["label", "place", "date_text", "text", "result", "title"]), text=ANY_TEXT)
def test_fuzz_any_text_in_a_save(field, text, mini):
    """Any text in a save's strings: it loads only when the text keeps the character rule."""
    folder = SAVES.fresh()
    store = SaveStore(folder)
    store.save(1, mini, choose(mini, new_game(mini, seed=1), "wait"))
    path = folder / "1.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    target = data["state"]["journal"][0] if field in ("text", "result") else data["chapter"] if field == "title" else data
    target[field] = text
    path.write_text(json.dumps(data), encoding="utf-8")
    try:
        loaded = store.load(1, mini)
    except SaveError as exc:
        assert UNSAFE.search(str(exc)) is None
        assert UNSAFE.search(text) is not None or field == "label" and len(text) > MAX_LABEL
        return
    assert UNSAFE.search(text) is None
    assert loaded.state.journal[0].text == (text if field == "text" else "Wait for Orlova.")


# ---- hostile inputs: each answered within 2 seconds ---------------------------------------------------


def _quick(fn, limit=2.0):
    began = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - began
    assert elapsed < limit, f"took {elapsed:.2f} s"
    return result


def test_fifty_megabyte_scene_file(pack: Path):
    with open(pack / "huge.toml", "wb") as f:
        f.truncate(50 * 1024 * 1024)
    with pytest.raises(StoryError, match=r"huge.toml: the file is 50.0 MiB; a story file may be at most 4 MiB"):
        _quick(lambda: load_story(pack))


@pytest.mark.parametrize(
    "text",
    [
        "a = " + "[" * 100_000 + "]" * 100_000,
        "a = " + "{b = " * 50_000 + "1" + "}" * 50_000,
        "[" + "a." * 100_000 + "b]\n",
    ],
    ids=["arrays", "inline-tables", "dotted-keys"],
)
def test_deeply_nested_toml(pack: Path, text):
    (pack / "deep.toml").write_text(text)
    with pytest.raises(StoryError) as caught:
        _quick(lambda: load_story(pack))
    assert any(p.path.endswith("deep.toml") for p in caught.value.problems)


def test_ten_thousand_character_condition(pack: Path):
    scenes = pack / "one" / "scenes.toml"
    long = " and ".join(["trust >= 1"] * 900)
    scenes.write_text(scenes.read_text().replace('if = "trust >= 2"', f'if = "{long}"'))
    with pytest.raises(StoryError, match=r"choice 'talk': in condition: the condition is longer than 2000 characters"):
        _quick(lambda: load_story(pack))


def test_a_story_whose_scenes_only_loop(tmp_path: Path):
    (tmp_path / "story.toml").write_text(
        '[story]\nid = "loop"\ntitle = "Loop"\nversion = "1"\nstart = "a"\n'
        '[[chapter]]\nid = "c"\nnumber = 1\ntitle = "C"\nstart = "a"\n'
        '[[source]]\nid = "s"\ncite = "S."\n'
        + "".join(
            f'[[scene]]\nid = "{x}"\nchapter = "c"\ndate = 1953-03-05\nplace = "p"\nsources = ["s"]\ntext = "t"\n'
            f'  [[scene.choice]]\n  id = "go"\n  text = "Go."\n  goto = "{y}"\n'
            for x, y in (("a", "b"), ("b", "a"))
        )
    )
    from game.tools.check import check_folder
    from game.tools.playtest import exhaustive_playtest, random_playtest

    report = _quick(lambda: check_folder(tmp_path))
    assert sum("no ending can be reached" in p.message for p in report.warnings) == 2
    story = load_story(tmp_path)
    random_report = _quick(lambda: random_playtest(story, runs=1000, seed=1))  # the default of thaw playtest
    assert random_report.failed and random_report.traps["a"].count == 1000 and not random_report.endings
    walk = _quick(lambda: exhaustive_playtest(story, max_states=1000))
    assert walk.traps and walk.failed


@pytest.mark.parametrize("bad_id", ["сцена", "a b", "A", "a/b", "1a", "a" * 65, "e\u0301", "a\u200b"])
def test_unicode_and_odd_characters_in_ids(pack: Path, bad_id):
    scenes = pack / "one" / "scenes.toml"
    scenes.write_text(scenes.read_text().replace('id = "peek"', f"id = {json.dumps(bad_id)}"))
    with pytest.raises(StoryError, match=r"is not a valid id|'id' is too long \(at most 64 characters\)"):
        _quick(lambda: load_story(pack))


def test_unicode_prose_is_fine(pack: Path):
    scenes = pack / "one" / "scenes.toml"
    scenes.write_text(scenes.read_text().replace("A hall with a locked door", "Зал — «дверь» 🚪 with a locked door"))
    assert "Зал" in load_story(pack).scenes["hall"].text


def test_save_whose_journal_holds_a_million_entries(tmp_path: Path, mini):
    store = SaveStore(tmp_path)
    store.save(1, mini, new_game(mini, seed=1))
    data = json.loads((tmp_path / "1.json").read_text())
    entry = {"turn": 1, "date": "1953-03-05", "chapter": "one", "scene": "start", "choice": "wait", "text": "Wait.",
             "result": "", "goto": "hall"}
    data["state"]["journal"] = [entry] * 1_000_000
    (tmp_path / "1.json").write_text(json.dumps(data))
    with pytest.raises(SaveError) as caught:
        _quick(lambda: store.load(1, mini))
    assert "MiB" in str(caught.value) or "too" in str(caught.value).lower()
    listed = _quick(lambda: store.list())
    assert listed[0].damaged
