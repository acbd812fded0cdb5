"""The loader: the fixture pack loads whole; each broken pack gives its message at its line."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from game.story.loader import load_story, story_files
from game.story.problems import StoryError


def test_fixture_pack_loads_every_feature(mini):
    assert mini.info.id == "fixture"
    assert list(mini.chapters) == ["one", "two"]
    assert mini.stats["trust"].kind == "relationship"
    assert mini.flags == {"has_key": False, "warned": False}
    assert mini.people["orlova"].stat == "trust"
    assert set(mini.endings) == {"end_quiet", "end_rich", "end_caught"}
    assert mini.scenes["start"].date == dt.date(1953, 3, 5)
    assert mini.scenes["ally_scene"].choice[0].branch[0].goto == "end_caught"
    assert mini.events["e-month"].precision == "month"
    assert mini.renames == {"old_hall": "hall"}
    assert mini.conditions[("branch", "ally_scene", "gamble", 0)].uses_chance
    assert mini.people["orlova"].roles[0].role == "A typist who has shown you the folder"
    assert mini.stats["trust"].notice.down == "Orlova will not forget this."
    assert mini.chapters["one"].card == () and mini.info.card.record == "On file"  # the defaults
    assert mini.ending_notes["end_rich"].hint == "Find the right file." and "end_quiet" not in mini.ending_notes
    # conditions that only change what is shown are kept apart from the story's paths
    assert set(mini.shown_conditions) == {("role", "orlova", 0), ("codex", "vault-term", 0)}
    assert not any(key[0] in ("role", "card", "codex") for key in mini.conditions)
    assert len(mini.content_hash) == 64


def test_files_are_read_in_a_deterministic_order(pack: Path):
    (pack / ".hidden").mkdir()
    (pack / ".hidden" / "x.toml").write_text("junk = [")
    names = [p.relative_to(pack).as_posix() for p in story_files(pack)]
    assert names == sorted(names)
    assert ".hidden/x.toml" not in names


def test_content_hash_changes_with_content(pack: Path, mini):
    assert load_story(pack).content_hash == mini.content_hash
    path = pack / "one" / "scenes.toml"
    path.write_text(path.read_text().replace("long corridor", "short corridor"))
    assert load_story(pack).content_hash != mini.content_hash


def _line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    seen = 0
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} not in {path}")


# (id, file, old text, new text, message regex, text on the expected line)
BROKEN = [
    ("toml-syntax", "one/scenes.toml", 'place = "The hall"', 'place = "The hall', r"TOML syntax error", 'place = "The hall'),
    ("unknown-goto", "one/scenes.toml", 'goto = "vault"', 'goto = "vaultt"',
     r"scene 'hall', choice 'open_door': goto names unknown scene 'vaultt' \(did you mean 'vault'\?\)", 'goto = "vaultt"'),
    ("undeclared-name", "one/scenes.toml", 'if = "trust >= 2"', 'if = "trusst >= 2"',
     r"scene 'hall', choice 'talk': in condition: unknown name 'trusst'.*did you mean 'trust'", 'if = "trusst >= 2"'),
    ("bad-condition", "one/scenes.toml", 'if = "has_key"\n  locked', 'if = "has_key.x"\n  locked',
     r"choice 'open_door': in condition: attributes", 'if = "has_key.x"'),
    ("passage-condition", "one/scenes.toml", 'if = "warned and nerve < 5"', 'if = "warned and nerv < 5"',
     r"scene 'hall': in condition: unknown name 'nerv'", 'if = "warned and nerv < 5"'),
    ("duplicate-scene", "two/scenes.toml", 'id = "vault"', 'id = "hall"',
     r"duplicate scene id 'hall': already defined at .*one/scenes.toml:\d+", 'id = "hall"'),
    ("duplicate-choice", "one/scenes.toml", 'id = "wait"', 'id = "take_key"',
     r"duplicate choice id 'take_key'", ('id = "take_key"', 2)),
    ("unknown-event", "one/scenes.toml", 'event = "e-death"\ntags', 'event = "e-deth"\ntags',
     r"scene 'start': unknown event 'e-deth' \(did you mean 'e-death'\?\)", 'event = "e-deth"'),
    ("unknown-source", "two/scenes.toml", 'sources = ["src-a"]', 'sources = ["src-z"]',
     r"the scene cites unknown source 'src-z'", 'sources = ["src-z"]'),
    ("event-unknown-source", "history.toml", 'sources = ["src-a"]\ndisputed', 'sources = ["nope"]\ndisputed',
     r"event 'e-death' cites unknown source 'nope'", "[[event]]"),
    ("add-on-flag", "one/scenes.toml", "add = { nerve = 1 }", "add = { has_key = 1 }",
     r"add: 'has_key' is a flag, not a number", "add = { has_key = 1 }"),
    ("set-stat-to-bool", "one/scenes.toml", "set = { has_key = true }", "set = { nerve = true }",
     r"set: stat 'nerve' is a number; it cannot be set to true", "set = { nerve = true }"),
    ("set-undeclared", "one/scenes.toml", "set = { warned = true }", "set = { warnd = true }",
     r"set: unknown name 'warnd' \(did you mean 'warned'\?\)", "set = { warnd = true }"),
    ("set-flag-to-number", "one/scenes.toml", "set = { warned = true }", "set = { warned = 3 }",
     r"flag 'warned' can only be set to true or false", "set = { warned = 3 }"),
    ("add-unknown", "one/scenes.toml", "add = { trust = 1 }", "add = { trusts = 1 }",
     r"add: unknown stat 'trusts'", "add = { trusts = 1 }"),
    ("date-too-early", "one/scenes.toml", "date = 1953-03-05", "date = 1952-12-31",
     r"the date 1952-12-31 is outside 1953-01-01..1961-12-31", "date = 1952-12-31"),
    ("date-too-late", "one/scenes.toml", "date = 1953-03-06", "date = 1962-03-06",
     r"outside 1953-01-01..1961-12-31 \(tag the scene \"epilogue\"", "date = 1962-03-06"),
    ("date-not-date", "one/scenes.toml", "date = 1953-03-06", 'date = "6 March 1953"',
     r"'date' must be a TOML date such as 1953-03-05", 'date = "6 March 1953"'),
    ("missing-start", "story.toml", 'start = "start"\n\n[[chapter]]', 'start = "begin"\n\n[[chapter]]',
     r"the start scene 'begin' does not exist", 'start = "begin"'),
    ("no-choices", "two/scenes.toml", 'ending = { title = "A Quiet Life", tone = "bitter" }\n', "",
     r"scene 'end_quiet': this scene has no choices and is not an ending", None),
    ("ending-with-choices", "two/scenes.toml", 'text = "The end of the pages written so far."',
     'text = "x"\n  [[scene.choice]]\n  id = "more"\n  text = "More."\n  goto = "start"',
     r"scene 'end_caught': an ending cannot have choices", None),
    ("unknown-field", "one/scenes.toml", 'goto = "ally_scene"', 'goto = "ally_scene"\n  lockd = "x"',
     r"choice 'talk': unknown field 'lockd' \(did you mean 'locked'\?\)", 'lockd = "x"'),
    ("missing-field", "one/scenes.toml", '  text = "Go home."\n', "",
     r"scene 'hall', choice 'leave': missing required field 'text'", None),
    ("bad-id", "one/scenes.toml", 'id = "peek"', 'id = "Peek!"',
     r"'id' = 'Peek!' is not a valid id", 'id = "Peek!"'),
    ("unknown-table", "codex.toml", "[[codex]]\nid = \"orlova\"", "[[codexx]]\nid = \"orlova\"",
     r"unknown table 'codexx' \(did you mean 'codex'\?\)", "[[codexx]]"),
    ("unknown-chapter", "one/scenes.toml", 'chapter = "one"\ndate = 1953-03-06', 'chapter = "three"\ndate = 1953-03-06',
     r"scene 'hall': unknown chapter 'three'", 'chapter = "three"'),
    ("visited-unknown", "two/scenes.toml", 'visited("hall")', 'visited("hal")',
     r"in condition: unknown scene 'hal'", "visited(\"hal\")"),
    ("chose-unknown", "two/scenes.toml", 'chose("start.take_key") or', 'chose("start.grab") or',
     r"scene 'start' has no choice 'grab'", 'chose("start.grab")'),
    ("locked-without-if", "two/scenes.toml", 'id = "back"', 'id = "back"\n  locked = "No."',
     r"`locked` needs an `if`", 'locked = "No."'),
    ("stat-start-out-of-range", "story.toml", "start = 2\nhelp", "start = 9\nhelp",
     r"start \(9\) is outside min..max \(0..5\)", "[stats.nerve]"),
    ("flag-not-bool", "story.toml", "warned = false", 'warned = "no"',
     r"flag 'warned' must start as true or false", 'warned = "no"'),
    ("renamed-still-exists", "one/scenes.toml", 'renamed_from = ["old_hall"]', 'renamed_from = ["start"]',
     r"renamed_from names 'start', which is still a scene", 'renamed_from = ["start"]'),
    ("chance-outside-branch", "one/scenes.toml", 'if = "trust >= 2"', 'if = "chance(20)"',
     r"chance\(\) is allowed only in a choice's branch", 'if = "chance(20)"'),
    ("branch-unknown-goto", "two/scenes.toml", 'goto = "end_caught"', 'goto = "end_cought"',
     r"branch 1 goes to unknown scene 'end_cought'", 'goto = "end_cought"'),
    ("person-unknown-stat", "story.toml", 'stat = "trust"', 'stat = "trustt"',
     r"person 'orlova' refers to unknown stat 'trustt'", "[people.orlova]"),
    # what is only shown: later roles, notices, chapter cards, codex passages, ending hints
    ("role-condition", "story.toml", 'if = \'visited("ally_scene")\'', 'if = \'visited("ally_scen")\'',
     r"in condition: unknown scene 'ally_scen'", 'visited("ally_scen")'),
    ("role-missing-role", "story.toml", 'role = "A typist who has shown you the folder"', 'rol = "x"',
     r"unknown field 'rol' \(did you mean 'role'\?\)", 'rol = "x"'),
    ("notice-field", "story.toml", 'notice = { up = "Your hands', 'notice = { upp = "Your hands',
     r"unknown field 'upp' \(did you mean 'up'\?\)", "notice = { upp"),
    ("ending-note-unknown", "story.toml", "[endings.end_rich]", "[endings.end_rch]",
     r"\[endings.end_rch\] names unknown scene 'end_rch' \(did you mean 'end_rich'\?\)", "[endings.end_rch]"),
    ("ending-note-not-ending", "story.toml", "[endings.end_caught]", "[endings.hall]",
     r"scene 'hall' is not an ending", "[endings.hall]"),
    ("ending-note-no-hint", "story.toml", 'hint = "Find the right file."', 'hnt = "Find the right file."',
     r"unknown field 'hnt'", 'hnt = "Find the right file."'),
    ("codex-passage-condition", "codex.toml", 'chose("start.take_key")', 'chose("start.grab")',
     r"in condition: scene 'start' has no choice 'grab'", 'chose("start.grab")'),
]


#: the same, in tests/fixtures/chapters (the pack with chapter cards)
BROKEN_CARDS = [
    ("card-condition", "story.toml", 'if = "nerve >= 3"', 'if = "nerv >= 3"',
     r"in condition: unknown name 'nerv'", 'if = "nerv >= 3"'),
    ("card-chance", "story.toml", 'if = "not has_key"', 'if = "chance(5)"',
     r"chance\(\) is allowed only in a choice's branch", 'if = "chance(5)"'),
    ("card-side", "story.toml", 'side = "private"\n  if = "has_key"', 'side = "secret"\n  if = "has_key"',
     r"'side' input should be 'record' or 'private'", 'side = "secret"'),
    ("card-empty", "story.toml", 'text = "Your hands are empty."', 'text = " "',
     r"this card phrase has no text", 'text = " "'),
]


@pytest.mark.parametrize(("file", "old", "new", "message", "line_text"), [c[1:] for c in BROKEN], ids=[c[0] for c in BROKEN])
def test_broken_pack(pack: Path, file, old, new, message, line_text):
    check_broken(pack, file, old, new, message, line_text)


@pytest.mark.parametrize(("file", "old", "new", "message", "line_text"), [c[1:] for c in BROKEN_CARDS],
                         ids=[c[0] for c in BROKEN_CARDS])
def test_broken_card(tmp_path: Path, file, old, new, message, line_text):
    import shutil

    pack = tmp_path / "chapters"
    shutil.copytree(Path(__file__).parent / "fixtures" / "chapters", pack)
    check_broken(pack, file, old, new, message, line_text)


def check_broken(pack: Path, file, old, new, message, line_text) -> None:
    path = pack / file
    text = path.read_text()
    assert old in text, f"test setup: {old!r} not found in {file}"
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(StoryError) as caught:
        load_story(pack)
    problems = [p for p in caught.value.problems if re.search(message, str(p))]
    assert problems, f"no problem matches {message!r}:\n{caught.value}"
    problem = problems[0]
    assert problem.path.endswith(file)
    if line_text is not None:
        needle, occurrence = line_text if isinstance(line_text, tuple) else (line_text, 1)
        assert problem.line == _line_of(path, needle, occurrence), str(problem)
    else:
        assert problem.line >= 1
    assert str(problem).startswith(f"{problem.path}:{problem.line}: ")


def test_every_problem_is_reported_in_one_pass(pack: Path):
    scenes = pack / "one" / "scenes.toml"
    text = scenes.read_text().replace('goto = "vault"', 'goto = "nowhere"').replace('if = "trust >= 2"', 'if = "nobody > 1"')
    scenes.write_text(text)
    (pack / "extra.toml").write_text("[[scene]\nid = 1\n")
    with pytest.raises(StoryError) as caught:
        load_story(pack)
    text = str(caught.value)
    assert "unknown scene 'nowhere'" in text
    assert "unknown name 'nobody'" in text
    assert "extra.toml:1: TOML syntax error" in text


def test_missing_folder_and_empty_folder(tmp_path: Path):
    with pytest.raises(StoryError, match="does not exist"):
        load_story(tmp_path / "nope")
    with pytest.raises(StoryError, match="no .toml files"):
        load_story(tmp_path)


def test_no_manifest(tmp_path: Path):
    (tmp_path / "a.toml").write_text("[flags]\nx = true\n")
    with pytest.raises(StoryError, match=r"no \[story\] table"):
        load_story(tmp_path)


def test_not_utf8(pack: Path):
    (pack / "bad.toml").write_bytes(b'# ok\n# \xff\xfe broken\n')
    with pytest.raises(StoryError, match=r"bad.toml:2: the file is not UTF-8"):
        load_story(pack)


def test_two_manifests(pack: Path):
    (pack / "again.toml").write_text('[story]\nid = "x"\ntitle = "x"\nversion = "1"\nstart = "start"\n')
    with pytest.raises(StoryError, match=r"a second \[story\] table"):
        load_story(pack)


def test_flag_declared_twice_across_files(pack: Path):
    (pack / "one" / "flags.toml").write_text("[flags]\nhas_key = false\n")
    with pytest.raises(StoryError, match=r"story.toml:\d+: 'has_key' is declared twice \(first at .*one/flags.toml:2\)"):
        load_story(pack)


def test_chapter_cards_load_with_their_headings_and_conditions():
    story = load_story(Path(__file__).parent / "fixtures" / "chapters")
    assert [line.side for line in story.chapters["one"].card] == ["record", "record", "private", "private"]
    assert (story.info.card.record, story.info.card.private) == ("The file", "What you know")
    assert set(story.shown_conditions) == {("card", "one", 1), ("card", "one", 2), ("card", "one", 3)}
