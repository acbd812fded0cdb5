"""A hostile story folder (issue 10, findings 1, 6 and 11): every control character is a located
problem, huge numbers and parser faults are problems (never a traceback), the whole story has a
size limit, and nothing the loader reports reaches the terminal raw."""

from __future__ import annotations

import io
import os
import re
from collections import Counter
from pathlib import Path

import pytest

from game.cli import main as cli_main
from game.session import open_story
from game.story import loader
from game.story.loader import load_story
from game.story.problems import StoryError

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: how make_hostile.py spells a refused character: \e, \uXXXX (C0 and DEL), or the C1 / bidi character raw
SPELLED = re.compile(r"\\\\|\\e|\\u([0-9a-f]{4})|([\x80-\x9f\u202a-\u202e\u2066-\u2069])")


def _problems(folder: Path):
    with pytest.raises(StoryError) as caught:
        load_story(folder)
    return caught.value.problems


def _spelled(path: Path) -> Counter:
    """(line, code point) of every refused character the file spells."""
    found: Counter = Counter()
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        for m in SPELLED.finditer(line):
            if m.group() == "\\\\":
                continue
            code = 0x1B if m.group() == "\\e" else int(m.group(1), 16) if m.group(1) else ord(m.group(2))
            found[(number, code)] += 1
    return found


def test_check_locates_every_control_character_of_the_hostile_pack():
    problems = _problems(HOSTILE / "escapes")
    for path in sorted((HOSTILE / "escapes").glob("*.toml")):
        expected = _spelled(path)
        assert sum(expected.values()) > 100
        reported: Counter = Counter()
        for p in problems:
            m = re.search(r"holds .*?, U\+([0-9A-F]{4})", p.message)
            if p.path.endswith(path.name) and m:
                reported[(p.line, int(m.group(1), 16))] += 1
        missing = expected - reported
        assert not missing, f"{path.name}: no problem at these (line, code point): {sorted(missing)[:10]}"
        assert reported == expected


def test_the_loadable_hostile_pack_loads_and_check_passes(capsys):
    story = load_story(HOSTILE / "pack")
    assert "[@click=app.screenshot('victim.svg','.')]Moscow[/]" in story.info.subtitle
    assert cli_main(["check", str(HOSTILE / "pack")]) == 0
    assert not RAW.search(capsys.readouterr().out)


def test_check_and_the_start_up_report_print_no_raw_control_character(capsys):
    assert cli_main(["check", str(HOSTILE / "escapes")]) == 1
    out = capsys.readouterr().out
    assert "'start\\x1b[2J' is not a valid id" in out and not RAW.search(out)
    err = io.StringIO()
    assert open_story(HOSTILE / "escapes", err=err) is None
    assert "The story cannot be loaded" in err.getvalue() and not RAW.search(err.getvalue())


def _story_with(pack: Path, extra: str, name: str = "extra.toml") -> Path:
    (pack / name).write_text(extra, encoding="utf-8")
    return pack


def test_hostile_keys_and_file_names_are_shown_escaped(pack: Path, capsys):
    _story_with(pack, '"\\u001b]0;PWNED\\u0007" = 1\n[stats."x\\u001b[2J"]\nlabel = "X"\nstart = 1\n')
    (pack / "\x1b]0;NAME\x07.toml").write_text("= broken", encoding="utf-8")
    problems = _problems(pack)
    text = "\n".join(str(p) for p in problems)
    assert "extra.toml:1: the key '\\x1b]0;PWNED\\x07' holds a control character, U+001B (ESCAPE)" in text
    assert "extra.toml:2: the key 'x\\x1b[2J' holds a control character" in text
    assert "unknown table '\\x1b]0;PWNED\\x07'" in text
    assert "\\x1b]0;NAME\\x07.toml:1: TOML syntax error" in text
    assert not RAW.search(text)
    assert cli_main(["check", str(pack)]) == 1
    assert not RAW.search(capsys.readouterr().out)


def test_thaw_version_shows_a_hostile_folder_name_escaped(pack: Path, capsys):
    folder = pack.rename(pack.with_name("x\x1b]0;PWNED\x07"))
    assert cli_main(["--version", "--scenes", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "story: The Test Pack (story 'fixture' version 1.0.0) from " in out and "x\\x1b]0;PWNED\\x07" in out
    assert not RAW.search(out)


@pytest.mark.parametrize(
    "field, value, refused",
    [
        ("place", '"a\\nb"', True),
        ("place", '"a\\tb"', True),
        ("text", '"""\\none\\n\\n\\ttwo\\n"""', False),
        ("text", '"x\\u0007"', True),
        ("text", '"x\\u202ey"', True),
        ("text", '"x\\u200dy e\\u0301 \\u05e9"', False),
    ],
)
def test_line_breaks_and_tabs_only_in_prose(pack: Path, field, value, refused):
    scenes = pack / "one" / "scenes.toml"
    source = scenes.read_text()
    old = 'place = "A corridor near the Kremlin"' if field == "place" else 'text = """\nYou stand'
    new = f"place = {value}" if field == "place" else f"text = {value}\nx_text = \"\"\"\nYou stand"
    scenes.write_text(source.replace(old, new, 1))
    if field == "text":  # keep the file valid: the old text becomes an unknown field we drop again
        source = scenes.read_text()
        start = source.index('x_text = """')
        end = source.index('"""', start + 12) + 3
        scenes.write_text(source[:start] + source[end:])
    if refused:
        line = next(n for n, text in enumerate(scenes.read_text().split("\n"), 1) if text.startswith(f"{field} = "))
        problems = _problems(pack)
        assert [(p.line, p.scene) for p in problems if "holds" in p.message] == [(line, "start")], problems
    else:
        load_story(pack)


def test_a_choice_label_is_one_line_but_its_result_is_prose(pack: Path):
    scenes = pack / "one" / "scenes.toml"
    source = scenes.read_text()
    source = source.replace('text = "Take the key."', 'text = "Take\\nthe key."')
    source = source.replace('result = "The key is heavier than it looks."', 'result = "The key\\n\\nis heavy."')
    scenes.write_text(source)
    [problem] = [p for p in _problems(pack)]
    assert problem.choice == "take_key" and problem.message.startswith("'text' holds a line break, U+000A")


def test_a_line_separator_does_not_shift_the_lines_of_later_problems(pack: Path):
    scenes = pack / "one" / "scenes.toml"
    source = scenes.read_text().replace("A hall with a locked door", "A hall\u2028with\x85 a locked door")
    scenes.write_text(source.replace('goto = "vault"', 'goto = "nowhere"'))
    problems = _problems(pack)
    line = next(n for n, text in enumerate(source.split("\n"), 1) if 'goto = "vault"' in text)
    assert any("unknown scene 'nowhere'" in p.message and p.line == line for p in problems)
    assert any("U+0085" in p.message and p.line == 44 for p in problems)


# ---- finding 6: huge numbers, parser faults -------------------------------------------------------------


def _line_of(text: str, needle: str) -> int:
    """The line (from 1) where `needle` first starts in `text`."""
    return text[: text.index(needle)].count("\n") + 1


def test_a_five_thousand_digit_number_is_a_problem_not_a_traceback(pack: Path, capsys):
    _story_with(pack, "# a comment\nbig = " + "9" * 5000 + "\n")
    [problem] = [p for p in _problems(pack) if p.path.endswith("extra.toml")]
    assert problem.line == 2 and "a number is too large (about 5,000 digits)" in problem.message
    assert cli_main(["check", str(pack)]) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_a_four_thousand_digit_hex_number_is_refused_before_any_screen(pack: Path, capsys):
    manifest = pack / "story.toml"
    text = manifest.read_text()
    line = _line_of(text, "number = 1\n")
    manifest.write_text(text.replace("number = 1\n", "number = 0x" + "f" * 4000 + "\n", 1))
    [problem] = [p for p in _problems(pack) if "too large" in p.message]
    assert problem.path.endswith("story.toml") and problem.line == line
    assert cli_main(["check", str(pack)]) == 1
    err = io.StringIO()
    assert open_story(pack, err=err) is None and "too large" in err.getvalue()


def test_numbers_within_the_limit_still_load(pack: Path):
    from game.story import boundary

    manifest = pack / "story.toml"
    manifest.write_text(manifest.read_text().replace("number = 1\n", f"number = {-boundary.MAX_NUMBER}\n", 1))
    assert load_story(pack).chapters["one"].number == -boundary.MAX_NUMBER


def test_any_other_parser_fault_is_a_problem(pack: Path, monkeypatch):
    def broken(text):
        raise OverflowError("the parser broke")

    monkeypatch.setattr(loader.tomli, "loads", broken)
    problems = _problems(pack)
    assert problems and all(p.message == "the file cannot be read as TOML: the parser broke" for p in problems)


def test_a_conversion_fault_is_a_problem(pack: Path, monkeypatch):
    from game.story.model import Chapter

    def broken(cls, raw, *args, **kwargs):
        raise TypeError("conversion broke")

    line = _line_of((pack / "story.toml").read_text(), "[[chapter]]")
    monkeypatch.setattr(Chapter, "model_validate", classmethod(broken))
    problems = _problems(pack)
    assert any(p.message == "chapter 'one' could not be read (TypeError)" and p.line == line for p in problems)


# ---- finding 11: the size of the whole story ---------------------------------------------------------------


def test_the_whole_story_has_a_size_limit(pack: Path, monkeypatch):
    monkeypatch.setattr(Path, "open", lambda *a, **k: pytest.fail("read a file of an oversized story"))
    for k in range(loader.MAX_STORY_BYTES // loader.MAX_FILE_BYTES + 1):
        with open(pack / f"big{k}.toml", "wb") as f:
            f.truncate(loader.MAX_FILE_BYTES)  # sparse: nothing is written
    [problem] = _problems(pack)
    assert problem.message.startswith("the story's .toml files hold 36.0 MiB in all; a story may be at most 32 MiB")


def test_the_number_of_files_has_a_limit(pack: Path):
    extra = pack / "many"
    extra.mkdir()
    for k in range(loader.MAX_FILES):
        (extra / f"{k}.toml").touch()
    [problem] = _problems(pack)
    assert problem.message.startswith(f"the folder holds {loader.MAX_FILES + 5:,} .toml files; a story may have at most")


# ---- the title painted before the story is loaded (game.ui.boot) -------------------------------------------


def _read_heading_within(seconds: float, folder: Path):
    """read_heading(folder) in a thread: (whether it was still running after `seconds`, its result)."""
    import threading

    from game.ui.boot import read_heading

    result: list = []
    worker = threading.Thread(target=lambda: result.append(read_heading(folder)), daemon=True)
    worker.start()
    worker.join(seconds)
    return worker.is_alive(), result


def test_the_title_first_start_paints_nothing_the_loader_has_not_checked(pack: Path, capsys):
    """`thaw` reads the title from story.toml before the full load: a story.toml the loader would
    refuse is not painted (the full load reports it, as `thaw` always has) and never a traceback."""
    from game.ui import boot

    manifest = pack / "story.toml"
    text = manifest.read_text(encoding="utf-8")
    hostile = {
        "a 5,000-digit number": text + "\nbig = " + "9" * 5000 + "\n",  # tomli raises ValueError
        "an escape sequence in the title": text.replace('title = "The Test Pack"', 'title = "The \\e]0;PWNED\\u0007 Pack"'),
        "a direction override in the subtitle": text.replace('subtitle = "Moscow, 1953"', 'subtitle = "\u202eMoscow"'),
        "a file over the loader's limit": text + "#" + "x" * loader.MAX_FILE_BYTES + "\n",
    }
    for what, content in hostile.items():
        manifest.write_text(content, encoding="utf-8")
        assert boot.read_heading(pack) is None, what
        assert boot.create_title_first_app(pack) is None, what
        assert cli_main(["--scenes", str(pack)]) == 1, what
        err = capsys.readouterr().err
        assert "The story cannot be loaded" in err and "Traceback" not in err and not RAW.search(err), what
    manifest.unlink()
    os.mkfifo(manifest)  # a FIFO in place of story.toml: opening it would wait for a writer
    hung, result = _read_heading_within(5, pack)
    if hung:
        os.close(os.open(manifest, os.O_WRONLY | os.O_NONBLOCK))  # let the blocked reader go, then fail
        pytest.fail("reading the title blocked on a FIFO")
    assert result == [None]
    assert boot.MAX_HEADING_BYTES == loader.MAX_FILE_BYTES  # the loader's own limit (not imported: pydantic)
