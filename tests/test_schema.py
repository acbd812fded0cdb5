"""`thaw schema`: the JSON Schema of scene files, its checked-in copy and the `#:schema` lines."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import tomli

from game.tools.schema import SCHEMA_PATH, SceneFile, scene_file_schema, schema_text

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_FILE = ROOT / SCHEMA_PATH
#: story folders in the repository whose files point editors at the schema
PACKS = [ROOT / "tests" / "fixtures" / name for name in ("mini", "people", "chapters")] + [ROOT / "examples" / "minimal"]


def _files() -> list[Path]:
    return sorted(p for pack in PACKS for p in pack.rglob("*.toml"))


def _as_json(value: Any) -> Any:
    """TOML data as an editor validates it: dates become ISO strings."""
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    return value


def test_checked_in_schema_is_fresh():
    assert SCHEMA_FILE.is_file(), "run: thaw schema -o schema/scene-file.schema.json"
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "schema/scene-file.schema.json is stale (the scene models changed): "
        "run `thaw schema -o schema/scene-file.schema.json` and commit it"
    )


def test_schema_shape():
    schema = scene_file_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object" and schema["additionalProperties"] is False
    assert list(schema["properties"]) == ["story", "chapter", "stats", "flags", "people", "scene", "event", "source", "codex", "endings"]
    assert "required" not in schema
    scene = schema["$defs"]["Scene"]
    assert scene["required"] == ["id", "chapter", "date", "place", "text"]
    assert scene["properties"]["date"] == {"format": "date", "type": "string", "description": scene["properties"]["date"]["description"]}
    choice = schema["$defs"]["Choice"]["properties"]
    assert choice["if"]["type"] == "string" and "anyOf" not in choice["if"]  # no null in TOML
    assert "default" not in choice["if"]
    assert all("description" in prop for d in schema["$defs"].values() for prop in d.get("properties", {}).values())
    assert "null" not in json.dumps(schema)


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_story_files_point_at_the_schema_and_validate(path: Path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("#:schema "), f"{path}: the first line should be '#:schema <relative path>'"
    target = (path.parent / first.removeprefix("#:schema ").strip()).resolve()
    assert target == SCHEMA_FILE.resolve()
    data = tomli.loads(path.read_text(encoding="utf-8"))
    SceneFile.model_validate(data)
    import jsonschema
    jsonschema.Draft202012Validator(scene_file_schema()).validate(_as_json(data))


def test_schema_rejects_what_the_loader_rejects():
    import jsonschema
    validator = jsonschema.Draft202012Validator(scene_file_schema())
    good = {"scene": [{"id": "a", "chapter": "c", "date": "1953-03-05", "place": "p", "text": "t",
                       "choice": [{"id": "go", "text": "Go.", "goto": "b", "set": {"x": True}}]}]}
    assert not list(validator.iter_errors(good))
    typo = json.loads(json.dumps(good))
    typo["scene"][0]["choice"][0]["gotoo"] = "b"
    assert any("gotoo" in e.message for e in validator.iter_errors(typo))
    bad_id = json.loads(json.dumps(good))
    bad_id["scene"][0]["id"] = "Bad Id"
    assert list(validator.iter_errors(bad_id))
    assert list(validator.iter_errors({"scenes": []}))  # unknown table


def test_cli_prints_and_writes(tmp_path: Path):
    result = subprocess.run([sys.executable, "-m", "game", "schema"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0 and json.loads(result.stdout)["title"] == "The Thaw: a story file"
    out = tmp_path / "sub" / "s.json"
    result = subprocess.run([sys.executable, "-m", "game", "schema", "-o", str(out)], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    assert result.returncode == 0 and out.read_text() == schema_text()


def test_schema_lines_of_the_shipped_story_resolve():
    """Files of scenes/ need not carry the line yet; those that do must point at the schema."""
    for path in sorted((ROOT / "scenes").rglob("*.toml")):
        first = (path.read_text(encoding="utf-8").splitlines() or [""])[0]
        if first.startswith("#:schema "):
            target = (path.parent / first.removeprefix("#:schema ").strip()).resolve()
            assert target == SCHEMA_FILE.resolve(), f"{path.relative_to(ROOT)}: {first}"
