"""The save file: its pydantic model, reading bytes into it (with migrations from older formats
and the check that no string holds a character the game never writes), and writing one."""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
import re
from collections.abc import Callable, Mapping
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictInt, ValidationError, field_validator, model_validator

from game.saves.errors import BadFile, SaveError, WrongStory
from game.saves.slots import clean_label
from game.story.engine import format_date
from game.story.state import GameState
from game.story.story import Story
from game.text import char_name, first_unsafe, kind_of, terminal_text

#: The save format this version writes. Bump it for any change of the file's layout and add a
#: migration from the previous number to MIGRATIONS.
FORMAT = 1

#: format number N -> a pure function turning a format-N dict into a format-(N+1) dict.
#: The machinery copies its input first and sets "format" to N+1 afterwards.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}

MAX_BYTES = 1024 * 1024


# ---- the model -----------------------------------------------------------------------------------


class StoryRef(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", defer_build=True)

    id: str = Field(min_length=1, max_length=64)
    title: str = ""
    version: str
    content_hash: str = ""


class ChapterRef(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", defer_build=True)

    id: str = ""
    number: StrictInt | None = Field(default=None, ge=-(10**15), le=10**15)
    title: str = ""


class SaveFile(BaseModel):
    """A save file of the current format, as validated on load. Numbers are strict (no "5" for
    5, no true for 1), and the header and the state must name the same story."""

    model_config = ConfigDict(frozen=True, extra="ignore", defer_build=True)

    format: Literal[1]
    game_version: str
    story: StoryRef
    saved_at: AwareDatetime
    label: str = ""
    play_seconds: float = Field(ge=0, allow_inf_nan=False, strict=True)
    chapter: ChapterRef
    date: dt.date | None = None
    date_text: str = ""
    place: str = ""
    state: GameState

    @field_validator("format", mode="before")
    @classmethod
    def _format_is_a_number(cls, value: Any) -> Any:
        if isinstance(value, bool):  # Literal[1] alone takes true for 1
            raise ValueError("the save format must be a number")
        return value

    @field_validator("saved_at")
    @classmethod
    def _saved_at_in_range(cls, value: dt.datetime) -> dt.datetime:
        try:  # 0001-01-01T00:00:00+23:59 is valid ISO 8601 but has no UTC time: it would fail later
            return value.astimezone(dt.timezone.utc)
        except (OverflowError, ValueError):
            raise ValueError("the time it was saved at is out of range") from None

    @model_validator(mode="after")
    def _one_story(self) -> SaveFile:
        if self.state.story_id != self.story.id:
            raise ValueError("its header and its game state name different stories")
        return self


# ---- reading and migrations --------------------------------------------------------------------


def migrate(
    data: dict[str, Any],
    *,
    migrations: Mapping[int, Callable[[dict[str, Any]], dict[str, Any]]] | None = None,
    current: int = FORMAT,
) -> dict[str, Any]:
    """Bring a save dict of any known format to ``current``; the input is never changed.

    Raises ValueError with a reason for the player when the format is unknown, newer than this
    version or has no migration path.
    """
    steps = MIGRATIONS if migrations is None else migrations
    fmt = data.get("format")
    if isinstance(fmt, bool) or not isinstance(fmt, int):
        raise ValueError("it has no save format number: it is not a save file of this game")
    if fmt > current:
        raise ValueError(
            f"it was made by a newer version of the game (save format {fmt}; this version reads "
            f"formats up to {current}): update the game to load it"
        )
    if fmt == current:
        return data
    data = copy.deepcopy(data)
    while fmt < current:
        step = steps.get(fmt)
        if step is None:
            raise ValueError(f"its save format {fmt} is too old for this version of the game")
        data = step(data)
        if not isinstance(data, dict):
            raise ValueError(f"the migration from save format {fmt} failed")
        fmt += 1
        data["format"] = fmt
    return data


#: in a save's bytes, anything that may spell a refused character: a JSON escape (\u, \b, \f, \r),
#: a raw C1 character, a raw bidirectional override, a raw DEL (raw C0 characters are not valid JSON)
_MAY_BE_UNSAFE = re.compile(rb"\\[ubfr]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]|\x7f")


def _check_text(data: Any) -> None:
    """BadFile when a string of the save holds a character the game never writes (game.text)."""
    found = first_unsafe(data)
    if found is not None:
        where, ch = found
        path = ".".join(terminal_text(str(p), one_line=True)[:40] for p in where) or "the file"
        raise BadFile(f"'{path}' holds {kind_of(ch)}, {char_name(ch)}, which this game never writes")


def parse_save(raw: bytes) -> SaveFile:
    """Bytes of a save file -> a validated SaveFile, or BadFile(reason)."""
    if len(raw) > MAX_BYTES:
        raise BadFile(too_big(len(raw)))
    if not raw.strip():
        raise BadFile("the file is empty")
    try:  # the fast path: a current-format file, parsed and validated in one pass
        save = SaveFile.model_validate_json(raw)
    except (ValidationError, ValueError, RecursionError):
        pass  # an older format, or damage: the slow path below migrates or explains
    else:
        if _MAY_BE_UNSAFE.search(raw):  # rare: only then is the text walked
            _check_text(json.loads(raw))
        return save
    try:
        data = json.loads(raw)
    except RecursionError:
        raise BadFile("the file is not a save: it nests too deeply") from None
    except json.JSONDecodeError as exc:
        text = exc.doc if isinstance(exc.doc, str) else ""
        if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
            raise BadFile("the file is cut short: the save was interrupted or the file was truncated") from None
        raise BadFile(f"the file is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except ValueError as exc:  # undecodable bytes, absurdly long numbers
        raise BadFile(f"the file is not valid JSON text ({_first_line(exc)})") from None
    if not isinstance(data, dict):
        raise BadFile("the file is not a save of this game (no save data in it)")
    try:
        data = migrate(data)
    except ValueError as exc:
        raise BadFile(str(exc)) from None
    except Exception as exc:  # a migration that crashed on odd input
        raise BadFile(f"it could not be converted from an older save format ({_first_line(exc)})") from None
    try:
        save = SaveFile.model_validate(data)
    except ValidationError as exc:
        raise BadFile(validation_reason(exc)) from None
    _check_text(data)  # this path also sees lone surrogates, which the fast path's parser refuses
    return save


def validation_reason(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        loc = ".".join(clean_label(p)[:40] for p in err.get("loc", ())) or "the file"
        if err.get("type") == "missing":
            parts.append(f"'{loc}' is missing")
        elif err.get("type") == "value_error":
            msg = clean_label(str(err.get("msg", "invalid")).removeprefix("Value error, "))[:120]
            parts.append(f"'{loc}': {msg}" if err.get("loc") else msg)
        else:
            parts.append(f"'{loc}': {clean_label(err.get('msg', 'invalid'))[:120]}")
    more = exc.error_count() - len(parts)
    tail = f" (and {more} more)" if more > 0 else ""
    return "the save data is incomplete or has wrong types: " + "; ".join(parts) + tail


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def too_big(size: int) -> str:
    return f"the file is {size / 1048576:.1f} MiB; a save file is at most {MAX_BYTES // 1048576} MiB"


# ---- writing -------------------------------------------------------------------------------------


def encode_save(story: Story, state: GameState, label: str, play_seconds: float) -> bytes:
    """The bytes of a current-format save of ``state`` (not yet validated: the store does that)."""
    from game import __version__

    if state.story_id != story.info.id:
        raise WrongStory(f"This game belongs to story '{state.story_id}', not to '{story.info.id}'.")
    scene = story.scenes.get(state.scene)
    if scene is None:
        raise SaveError(f"Cannot save: the scene '{state.scene}' is not in this story.")
    chapter = story.chapters.get(scene.chapter)
    try:
        seconds = float(play_seconds)
    except (TypeError, ValueError):
        seconds = 0.0
    if not math.isfinite(seconds) or seconds < 0:
        seconds = 0.0
    payload = {
        "format": FORMAT,
        "game_version": __version__,
        "story": {
            "id": story.info.id,
            "title": story.info.title,
            "version": story.info.version,
            "content_hash": story.content_hash,
        },
        "saved_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds"),
        "label": clean_label(label),
        "play_seconds": round(seconds, 3),
        "chapter": {
            "id": scene.chapter,
            "number": chapter.number if chapter else None,
            "title": chapter.title if chapter else "",
        },
        "date": scene.date.isoformat(),
        "date_text": format_date(scene.date),
        "place": scene.place,
    }
    head = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    # the state is serialised by pydantic directly (several times faster than a dict dump)
    return (head[:-1] + ',"state":').encode("utf-8") + state.model_dump_json().encode("utf-8") + b"}\n"
