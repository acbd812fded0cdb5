"""`thaw style`: repeated phrases, forbidden phrases, scene length outliers and spelling, in one report."""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass, field
from typing import Any

from game.story.story import Story
from game.tools.style.forbid import Use, forbidden_uses
from game.tools.style.prose import scene_pieces, words
from game.tools.style.repeats import Repeat, repeated_phrases
from game.tools.style.spelling import Unknown, misspelt, word_list_path

#: a scene is an outlier when its length is beyond the quartiles by this many inter-quartile ranges
OUTLIER_IQR = 1.5


@dataclass
class StyleReport:
    story: Story
    repeats: list[Repeat]
    forbidden: list[Use]
    lengths: dict[str, int]  # scene -> words (endings left out)
    long: list[str]
    short: list[str]
    unknown: list[Unknown]
    words_file: str
    words_listed: bool
    quartiles: tuple[float, float, float] = (0.0, 0.0, 0.0)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        s = self.story
        return {
            "story": {"id": s.info.id, "title": s.info.title, "version": s.info.version},
            "repeats": {"at_least": s.style.repeats,
                        "phrases": [{"phrase": r.phrase, "count": r.count, "scenes": r.scenes} for r in self.repeats]},
            "forbidden": [{"phrase": u.phrase, "scene": u.scene, "where": str(u.where)} for u in self.forbidden],
            "lengths": {"quartiles": list(self.quartiles), "long": {sid: self.lengths[sid] for sid in self.long},
                        "short": {sid: self.lengths[sid] for sid in self.short}},
            "spelling": {"word_list": self.words_file, "word_list_found": self.words_listed,
                         "unknown": [{"word": u.word, "count": u.count, "in": u.items} for u in self.unknown]},
        }

    def json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)


def style_report(story: Story) -> StyleReport:
    lengths = {sid: sum(len(words(p.text)) for p in scene_pieces(story, sid))
               for sid, scene in story.scenes.items() if not scene.is_ending}
    long: list[str] = []
    short: list[str] = []
    quartiles = (0.0, 0.0, 0.0)
    if len(lengths) >= 4:
        q1, q2, q3 = statistics.quantiles(lengths.values(), n=4, method="inclusive")
        quartiles = (q1, q2, q3)
        spread = OUTLIER_IQR * (q3 - q1)
        long = sorted((sid for sid, n in lengths.items() if n > q3 + spread), key=lambda sid: -lengths[sid])
        short = sorted((sid for sid, n in lengths.items() if n < q1 - spread), key=lambda sid: lengths[sid])
    path = word_list_path(story)
    return StyleReport(story, repeated_phrases(story, story.style.repeats), forbidden_uses(story), lengths,
                       long, short, misspelt(story), story.style.words, path.is_file(), quartiles)
