"""profile.json: what outlives a game; tolerant of damage, written atomically."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from game.profile import PROFILE_NAME, Profile

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


def test_choices_scenes_and_settings_round_trip(tmp_path: Path):
    profile = Profile.load(tmp_path)
    assert profile.notices and not profile.skip_read
    assert profile.add_found("s", codex={"b", "a"}, choices={"x.y"}, scenes={"x"})
    assert not profile.add_found("s", codex={"a"}, choices={"x.y"}, scenes={"x"})  # nothing new: no write
    profile.set_setting("skip_read", True)
    again = Profile.load(tmp_path)
    assert again.codex_seen("s") == {"a", "b"} and again.choices_taken("s") == {"x.y"}
    assert again.scenes_read("s") == {"x"} and again.skip_read and again.notices
    assert not list(tmp_path.glob(".*.tmp"))  # the temporary files of the atomic writes are gone


@settings(max_examples=150, deadline=None)
@given(data=st.dictionaries(st.sampled_from(["endings", "codex", "choices", "scenes", "settings", "theme", "x"]),
                            JSON, max_size=7))
def test_any_json_loads_without_an_error(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("profile")
    (folder / PROFILE_NAME).write_text(json.dumps(data))
    profile = Profile.load(folder)
    for table in (profile.endings, profile.codex, profile.choices, profile.scenes):
        assert all(isinstance(k, str) and all(isinstance(i, str) for i in v) for k, v in table.items())
    assert isinstance(profile.notices, bool) and isinstance(profile.skip_read, bool)
    profile.add_found("s", choices={"a.b"})  # and it can still be written
    assert Profile.load(folder).choices_taken("s") >= {"a.b"}


def test_a_cut_short_profile_is_ignored_and_replaced_on_the_next_write(tmp_path: Path):
    (tmp_path / PROFILE_NAME).write_text('{"choices": {"s": ["a.b"')
    profile = Profile.load(tmp_path)
    assert profile.problem and profile.choices_taken("s") == frozenset()
    profile.add_found("s", scenes={"x"})
    assert json.loads((tmp_path / PROFILE_NAME).read_text())["scenes"] == {"s": ["x"]}
