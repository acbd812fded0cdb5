"""Generate synthetic story folders: dated scenes, three choices each, conditions and effects."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

SCENES_PER_FILE = 100


def write_story(folder: Path, scenes: int) -> Path:
    """Write a story of `scenes` scenes (the last ten are endings) into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    chapters = max(1, scenes // 500)
    manifest = [
        '[story]\nid = "synthetic"\ntitle = "Synthetic"\nversion = "1"\nstart = "s0"\n',
        '[stats.standing]\nlabel = "Standing"\nmin = 0\nmax = 10\nstart = 5\n',
        '[stats.fear]\nlabel = "Fear"\nmin = 0\nmax = 10\nstart = 2\n',
        "[flags]\nbrave = false\nsigned = false\n",
        '[[source]]\nid = "src"\ncite = "A source."\n',
        '[[event]]\nid = "ev"\ndate = 1953-03-05\ntitle = "An event"\nsummary = "Something."\nsources = ["src"]\n',
    ]
    per_chapter = -(-scenes // chapters)
    for c in range(chapters):
        manifest.append(f'[[chapter]]\nid = "ch{c}"\nnumber = {c + 1}\ntitle = "Chapter {c}"\nstart = "s{c * per_chapter}"\n')
    (folder / "story.toml").write_text("\n".join(manifest))
    start = dt.date(1953, 1, 1)
    span = (dt.date(1961, 12, 31) - start).days
    endings = set(range(scenes - 10, scenes))
    for first in range(0, scenes, SCENES_PER_FILE):
        out = []
        for i in range(first, min(first + SCENES_PER_FILE, scenes)):
            date = start + dt.timedelta(days=span * i // scenes)
            head = (
                f'[[scene]]\nid = "s{i}"\nchapter = "ch{min(i // per_chapter, chapters - 1)}"\ndate = {date}\n'
                f'place = "Room {i}"\nevent = "ev"\n'
                f'text = """\nYou stand in room {i}. The corridor smells of floor polish and tobacco; '
                f'somewhere a typewriter stops and starts again.\n"""\n'
            )
            if i in endings:
                out.append(head + f'ending = {{ title = "Ending {i}" }}\n')
                continue
            body = [head, '  [[scene.passage]]\n  if = "brave and standing > 3"\n  text = "You feel bold."\n']
            targets = [min(i + 1, scenes - 1), min(i + 2, scenes - 1), min(i + 7, scenes - 1)]
            for k, target in enumerate(targets):
                body.append(
                    f'  [[scene.choice]]\n  id = "c{k}"\n  text = "Go on ({k})."\n  goto = "s{target}"\n'
                    + ('  if = "standing >= 2 or not signed"\n  locked = "Not now."\n' if k == 1 else "")
                    + ('  if = "fear < 9"\n' if k == 2 else "")
                    + f"  add = {{ standing = {k - 1}, fear = 1 }}\n"
                    + ("  set = { brave = true }\n" if k == 0 else "")
                )
            out.append("".join(body))
        (folder / f"scenes-{first // SCENES_PER_FILE:04d}.toml").write_text("\n".join(out))
    return folder
