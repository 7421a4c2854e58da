"""CommonMark output: headings, lists, a pipe table for compare, footnote-style sources."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TextIO

from foracli.model import NO_GOOD_DATA, SECTIONS_BY_KEY, Procedure, Source, end_sentence
from foracli.query import (
    ComparisonView,
    Explanation,
    GlossaryView,
    ProcedureList,
    SearchResult,
    SourceList,
)
from foracli.render.common import (
    DISCLAIMER,
    EMERGENCY,
    Citations,
    certainty_sentence,
    finding_phrase,
    format_amount,
    join_nonempty,
    review_line,
    see_also,
    source_line,
)
from foracli.search import section_label

_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
_BLOCK_START = re.compile(
    r"^(#{1,6}(?=\s|$)|>|[+-](?=\s|$)|\d+[.)](?=\s|$)|[-*_](?=(?:\s*[-*_]){2,}\s*$)|=)"
)


def escape(text: str) -> str:
    """Make knowledge-base text literal in CommonMark (data is never markup)."""
    text = _INLINE.sub(r"\\\1", text)
    return _BLOCK_START.sub(lambda m: "\\" + m.group(1), text)


def _notes(ids: Iterable[str], citations: Citations) -> str:
    return "".join(f"[^{n}]" for n in citations.marks(ids))


def render_explanation(view: Explanation, out: TextIO) -> None:
    """Write one procedure page as Markdown to *out*."""
    citations = Citations.of(view.sources)
    proc = view.procedure
    lines = [f"# {escape(proc.name)}", "", escape(proc.summary)]
    if view.variants:
        lines += ["", escape(see_also(view.variants))]
    for section in view.sections:
        spec = SECTIONS_BY_KEY[section.key]
        lines += ["", f"## {escape(spec.title_for(proc.approach))}", ""]
        for n, point in enumerate(section.points, start=1):
            bullet = f"{n}." if spec.numbered else "-"
            label = f"**{escape(point.label)}:** " if point.label else ""
            body = join_nonempty(
                label + escape(point.text),
                f"*{certainty_sentence(point)}*" if point.certainty else "",
                _notes(point.sources, citations),
            )
            lines.append(f"{bullet} {body}")
    lines += _footer(view.sources, citations, [proc])
    out.write("\n".join(lines) + "\n")


def render_comparison(view: ComparisonView, out: TextIO) -> None:
    """Write a comparison as Markdown: a pipe table, then head-to-head findings."""
    citations = Citations.of(view.sources)
    names = [escape(p.name) for p in view.procedures]
    lines = [f"# {' vs '.join(names)}", ""]
    lines.append("| Aspect | " + " | ".join(names) + " |")
    lines.append("|---" * (len(names) + 1) + "|")
    for row in view.rows:
        cells = []
        for value in row.values:
            if value is None:
                cells.append(NO_GOOD_DATA)
                continue
            cells.append(
                join_nonempty(
                    escape(end_sentence(format_amount(value))),
                    escape(value.note or ""),
                    _notes(value.sources, citations),
                )
            )
        lines.append(f"| {escape(row.spec.label)} | " + " | ".join(cells) + " |")
    findings = [(row, match) for row in view.rows for match in row.head_to_head]
    if findings:
        lines += ["", "## What studies comparing them found", ""]
        for row, match in findings:
            found = match.finding
            verdict = escape(finding_phrase(found, match.subject))
            lines.append(
                f"- **{escape(row.spec.label)}:** "
                + join_nonempty(
                    end_sentence(verdict),
                    escape(found.text),
                    f"*{certainty_sentence(found)}*" if found.certainty else "",
                    _notes(found.sources, citations),
                )
            )
    if view.evidence:
        lines += ["", "## Evidence behind each row", ""]
        for row in view.rows:
            for source in view.row_sources(row):
                lines.append(
                    f"- **{escape(row.spec.label)}:** {escape(source.evidence_summary())}"
                    + _notes([source.id], citations)
                )
    lines += _footer(view.sources, citations, view.procedures)
    out.write("\n".join(lines) + "\n")


def render_sources(view: SourceList, out: TextIO) -> None:
    """A numbered Markdown list of the sources."""
    title = f"Sources: {view.procedure.name}" if view.procedure else "Sources"
    lines = [f"# {escape(title)}", ""]
    lines += [f"{n}. {escape(source_line(s))}" for n, s in enumerate(view.sources, start=1)]
    out.write("\n".join(lines) + "\n")


def _footer(
    sources: Iterable[Source], citations: Citations, procs: Iterable[Procedure]
) -> list[str]:
    lines = ["", "## Sources"]
    for source in sources:
        lines += ["", f"[^{citations.numbers[source.id]}]: {escape(source_line(source))}"]
    lines += ["", "---", "", escape(review_line(procs)), "", f"*{DISCLAIMER} {EMERGENCY}*"]
    return lines


def render_procedures(view: ProcedureList, out: TextIO) -> None:
    """A Markdown list of procedures with their summaries."""
    lines = ["# Procedures", ""]
    lines += [f"- **{escape(p.name)}** (`{p.id}`): {escape(p.summary)}" for p in view.procedures]
    out.write("\n".join(lines) + "\n")


def render_search(view: SearchResult, out: TextIO) -> None:
    """A Markdown list of search hits."""
    lines = [f"# Search: {escape(view.query)}", ""]
    lines += [
        f"- **{escape(h.document.procedure)}**, {escape(section_label(h.document.section))}: "
        f"{escape(h.document.text)}"
        for h in view.hits
    ]
    out.write("\n".join(lines) + "\n")


def render_glossary(view: GlossaryView, out: TextIO) -> None:
    """A Markdown definition list (bold term, then its meaning)."""
    lines = ["# Glossary", ""]
    for term in view.terms:
        lines.append(f"- **{escape(term.term)}**: {escape(term.definition)}")
    out.write("\n".join(lines) + "\n")
