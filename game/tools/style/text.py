"""The terminal text of `thaw style`."""

from __future__ import annotations

from game.tools.style.report import StyleReport

SHOWN_ITEMS = 4


def _some(items: list[str]) -> str:
    more = len(items) - SHOWN_ITEMS
    return ", ".join(items[:SHOWN_ITEMS]) + (f" +{more} more" if more > 0 else "")


def report_text(report: StyleReport, top: int) -> str:
    story = report.story
    total = sum(report.lengths.values())
    lines = [f"Style of '{story.info.id}' ({story.info.title} {story.info.version}): "
             f"{len(story.scenes)} scenes, {total:,} words outside the endings"]

    reps = report.repeats
    head = f"Repeated phrases (3 to 8 words, used at least {story.style.repeats} times)"
    if not reps:
        lines.append(f"{head}: none")
    else:
        shown = reps[:top]
        lines.append(f"{head}: {len(reps)}" + (f", the {len(shown)} commonest shown (--top N)" if len(shown) < len(reps) else ""))
        width = max(len(r.phrase) for r in shown)
        for r in shown:
            lines.append(f"  {r.count:>4}  {r.phrase:<{width}}  in {len(r.scenes)} scene{'s' if len(r.scenes) != 1 else ''}: "
                         f"{_some(r.scenes)}")

    if not story.style.forbid:
        lines.append("Forbidden phrases: none declared (list them under [style] forbid in story.toml)")
    elif not report.forbidden:
        lines.append(f"Forbidden phrases: none used ({len(story.style.forbid)} declared)")
    else:
        lines.append(f"Forbidden phrases: {len(report.forbidden)} use{'s' if len(report.forbidden) != 1 else ''} "
                     "(thaw check warns on each):")
        lines.extend(f"  {u.where}: '{u.phrase}' in {u.scene}" for u in report.forbidden)

    q1, q2, q3 = report.quartiles
    if len(report.lengths) < 4:
        lines.append(f"Scene length: too few scenes to compare ({len(report.lengths)} outside the endings)")
    else:
        lines.append(f"Scene length: median {q2:,.0f} words, half of the scenes between {q1:,.0f} and {q3:,.0f} "
                     "(endings left out)")
    for label, items in (("long", report.long), ("short", report.short)):
        if items:
            lines.append(f"  Unusually {label}: " + ", ".join(f"{sid} ({report.lengths[sid]:,})" for sid in items))
    if not report.long and not report.short and len(report.lengths) >= 4:
        lines.append("  No scene is unusually long or short.")

    listed = report.words_file if report.words_listed else f"{report.words_file} (not found)"
    unknown = report.unknown
    lines.append(f"Spelling (pyspellchecker's English, British forms accepted; word list {listed}): "
                 + (f"{len(unknown)} unknown word{'s' if len(unknown) != 1 else ''}" if unknown else "every word known"))
    for u in unknown:
        lines.append(f"  {u.word} ({u.count}): {_some(u.items)}")
    return "\n".join(lines)
