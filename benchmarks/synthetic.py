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


def write_campaign(folder: Path, scenes: int = 200, stats: int = 15, flags: int = 150, chapters: int = 10,
                   seed: int = 1) -> Path:
    """A story shaped like the shipped campaign, at any size: chapters of layered scenes that branch
    and merge, 2-4 choices a scene moving a few stats and setting flags, conditions on flags of this
    and earlier chapters and on stats, passages that remember earlier choices, chance branches that
    end the game early, `once` choices, and complementary pairs of choices (`x` / `not x`).

    For `thaw playtest --prove` at the size the story will reach (about 200 scenes, 15 stats, 150 flags).
    """
    import random

    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    stat_names = [f"m{i}" for i in range(stats)]
    per_chapter = max(4, scenes // chapters)
    flags_per_chapter = max(2, flags // chapters)
    manifest = [
        '[story]\nid = "campaign"\ntitle = "Synthetic campaign"\nversion = "1"\nstart = "k0_s0"\n',
        '[[source]]\nid = "src"\ncite = "A source."\n',
        '[[event]]\nid = "ev"\ndate = 1953-03-05\ntitle = "An event"\nsummary = "Something."\nsources = ["src"]\n',
    ]
    for name in stat_names:
        manifest.append(f'[stats.{name}]\nlabel = "{name}"\nmin = 0\nmax = 10\nstart = {rng.randrange(2, 8)}\n')
    all_flags = [f"k{c}_f{j}" for c in range(chapters) for j in range(flags_per_chapter)]
    manifest.append("[flags]\n" + "".join(f"{f} = false\n" for f in all_flags))
    for c in range(chapters):
        manifest.append(f'[[chapter]]\nid = "k{c}"\nnumber = {c + 1}\ntitle = "Chapter {c}"\nstart = "k{c}_s0"\n')
    (folder / "story.toml").write_text("\n".join(manifest))

    start = dt.date(1953, 1, 1)
    span = (dt.date(1961, 6, 30) - start).days
    endings = ['[[scene]]\nid = "end_arrest"\nchapter = "k0"\ndate = 1961-12-01\nplace = "A cell"\nevent = "ev"\n'
               'ending = { title = "Arrested", tone = "tragic" }\ntext = "The door closes."\n']
    for c in range(chapters):
        own = [f"k{c}_f{j}" for j in range(flags_per_chapter)]
        earlier = [f for f in all_flags if int(f.split("_")[0][1:]) < c]
        out = []
        # layers of 1-3 scenes; every scene of a layer leads to scenes of the next layer
        names, layers, i = [], [], 0
        while i < per_chapter:
            width = 1 if i == 0 or i + 1 >= per_chapter else rng.choice((1, 2, 2, 3))
            layer = [f"k{c}_s{i + w}" for w in range(min(width, per_chapter - i))]
            layers.append(layer)
            names += layer
            i += len(layer)
        nxt_start = f"k{c + 1}_s0" if c + 1 < chapters else None
        for li, layer in enumerate(layers):
            following = layers[li + 1] if li + 1 < len(layers) else ([nxt_start] if nxt_start else [])
            for sid in layer:
                n = names.index(sid)
                date = start + dt.timedelta(days=span * (c * per_chapter + n) // (chapters * per_chapter))
                body = [f'[[scene]]\nid = "{sid}"\nchapter = "k{c}"\ndate = {date}\nplace = "Room {sid}"\nevent = "ev"\n'
                        f'text = """\nYou wait in room {sid}. Somewhere a typewriter stops and starts again.\n"""\n']
                if not following:
                    body[0] = body[0].replace('event = "ev"\n', 'event = "ev"\nending = { title = "The end", tone = "bitter" }\n')
                    out.append("".join(body))
                    continue
                for k in range(rng.randrange(1, 4)):
                    pool = own[: max(1, li)] + rng.sample(earlier, min(2, len(earlier)))
                    cond = rng.choice(pool)
                    if rng.random() < 0.3:
                        cond = f"{cond} and not {rng.choice(own)}"
                    if rng.random() < 0.3:
                        cond = f"{rng.choice(stat_names)} >= {rng.randrange(3, 8)}"
                    body.append(f'  [[scene.passage]]\n  if = "{cond}"\n  text = "You remember {cond}."\n')
                count = rng.choice((2, 3, 3, 4))
                pair = rng.random() < 0.15 and count >= 2  # `x` and `not x`: no other way out
                gate = rng.choice(own[: max(1, li)] + earlier[-3:]) if pair else ""
                for k in range(count):
                    target = rng.choice(following)
                    lines = [f'  [[scene.choice]]\n  id = "c{k}"\n  text = "Choose {k}."\n  goto = "{target}"\n']
                    if pair and k < 2:
                        lines.append(f'  if = "{gate if k == 0 else "not " + gate}"\n')
                    elif k == count - 1 and count > 2 and rng.random() < 0.5:
                        lines.append(f'  if = "{rng.choice(stat_names)} >= {rng.randrange(4, 8)}"\n  locked = "Not now."\n')
                    elif k == 1 and rng.random() < 0.15:
                        lines.append('  once = true\n')
                        lines[0] = lines[0].replace(f'goto = "{target}"', f'goto = "{sid}"')
                    moved = rng.sample(stat_names, rng.randrange(1, 4))
                    lines.append("  add = { " + ", ".join(f"{m} = {rng.choice((-2, -1, 1, 1, 2))}" for m in moved) + " }\n")
                    if rng.random() < 0.5:
                        lines.append(f"  set = {{ {rng.choice(own)} = true }}\n")
                    if rng.random() < 0.06:
                        lines.append(f'\n    [[scene.choice.branch]]\n    if = "{rng.choice(stat_names)} >= 8 and chance(30)"\n'
                                     '    goto = "end_arrest"\n')
                    body.append("".join(lines))
                out.append("".join(body))
        (folder / f"chapter-{c:02d}.toml").write_text("\n".join(out))
    (folder / "endings.toml").write_text("\n".join(endings))
    return folder
