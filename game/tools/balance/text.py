"""The balance report as a terminal table, with a small bar chart of each stat's spread."""

from __future__ import annotations

import textwrap

from game.tools.balance.report import SUGGESTED_AT_BOUND, BalanceReport, Spread

BARS = " ▁▂▃▄▅▆▇█"
CHART_WIDTH = 40


def spread_chart(spread: Spread) -> str:
    """One column per value from min to max (grouped when the range is wide), its height the share of runs."""
    counts = list(spread.counts)
    if len(counts) > CHART_WIDTH:
        size = -(-len(counts) // CHART_WIDTH)
        counts = [sum(counts[i:i + size]) for i in range(0, len(counts), size)]
    top = max(counts, default=0)
    if not top:
        return " " * len(counts)
    return "".join(BARS[0] if c == 0 else BARS[max(1, round(c / top * (len(BARS) - 1)))] for c in counts)


def _marks(report: BalanceReport, spread: Spread) -> str:
    if spread.stat in report.limits.ignore:
        return ""
    limit = report.limits.max_at_bound if report.limits.max_at_bound is not None else SUGGESTED_AT_BOUND
    marks = []
    if spread.median in (spread.low, spread.high):
        marks.append("median at " + ("min" if spread.median == spread.low else "max"))
    if spread.at_min > limit:
        marks.append(f"{spread.at_min:.0f}% at min")
    if spread.at_max > limit:
        marks.append(f"{spread.at_max:.0f}% at max")
    return "  <- " + ", ".join(marks) if marks else ""


def _wrap(items: list[str], indent: str = "    ") -> list[str]:
    if not items:
        return []
    return textwrap.wrap(", ".join(items), 100, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False)


def report_text(report: BalanceReport) -> str:
    lines = [f"Balance of '{report.story_id}' ({report.title} {report.version}): {report.runs:,} random runs, "
             f"seed {report.seed}, {report.seconds:.2f} s"]
    width = max((len(s) for c in report.chapters for s in (sp.stat for sp in c.spreads)), default=4)
    for end in report.chapters:
        lines += ["", f"End of chapter {end.number}, {end.chapter} ({end.runs:,} runs leave it)"]
        lines.append(f"  {'stat':<{width}}  p10  med  p90  at min  at max  spread, min to max")
        for s in end.spreads:
            lines.append(f"  {s.stat:<{width}}  {s.percentile(0.1):>3}  {s.median:>3}  {s.percentile(0.9):>3}  "
                         f"{s.at_min:5.1f}%  {s.at_max:5.1f}%  {s.low:>2} {spread_chart(s)} {s.high}{_marks(report, s)}")
    total = len(report.choices)
    gain, none = report.pure_gain, report.no_effect
    lines += ["", f"Choices: {total:,}"]
    lines.append(f"  only gain (no cost to any stat, no branch): {len(gain)} ({report.share(len(gain)):.1f}%)")
    lines += _wrap([c.describe() for c in gain])
    lines.append(f"  change nothing (no stat, no flag): {len(none)} ({report.share(len(none)):.1f}%)")
    lines += _wrap([c.key for c in none])
    usage = report.usage
    for label, names in (("Flags set but never read", usage.flags_set_never_read),
                         ("Flags read but never set", usage.flags_read_never_set),
                         ("Stats no passage reads", usage.stats_no_passage_reads)):
        lines.append(f"{label}: {', '.join(names) if names else 'none'}")
    lines += ["", f"Endings ({report.runs:,} runs):"]
    ewidth = max((len(e) for e in report.endings), default=0)
    for ending, (title, count) in report.endings.items():
        share = 100.0 * count / report.runs if report.runs else 0.0
        bar = "█" * round(share / 2.5)
        lines.append(f"  {ending:<{ewidth}}  {share:5.1f}%  {bar:<40}  \"{title}\"")
    stuck = [f"{n:,} {what}" for n, what in ((report.dead_end_runs, "at a dead end"),
                                               (report.unfinished_runs, "unfinished"),
                                               (report.trapped_runs, "in a trap")) if n]
    if stuck:
        lines.append("  runs that reached no ending: " + ", ".join(stuck))
    lines.append("")
    declared = report.declared_limits
    if not declared:
        lines.append(f"Limits: none declared in [balance] (marks above use {SUGGESTED_AT_BOUND}% at a bound and "
                     "a median at a bound)")
    elif report.crossings:
        lines.append(f"Limits ({', '.join(declared)}): {len(report.crossings)} crossed")
        lines += [f"  {c.limit}: {c.message}" for c in report.crossings]
    else:
        lines.append(f"Limits ({', '.join(declared)}): all kept")
    return "\n".join(lines)
