"""Plain UTF-8 text for pipes: one heading line per section, one line per point.

No escape codes, no box drawing and no hard wrapping, so grep, wc and less see
stable lines.
"""

from __future__ import annotations

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
    point_parts,
    review_line,
    see_also,
    source_line,
)
from foracli.search import section_label


def render_explanation(view: Explanation, out: TextIO) -> None:
    """Write one procedure page as plain text to *out*."""
    citations = Citations.of(view.sources)
    lines = [view.procedure.name, view.procedure.summary]
    if view.variants:
        lines.append(see_also(view.variants))
    for section in view.sections:
        spec = SECTIONS_BY_KEY[section.key]
        lines += ["", spec.title_for(view.procedure.approach)]
        for n, point in enumerate(section.points, start=1):
            bullet = f"{n}. " if spec.numbered else "- "
            label, text, sure, refs = point_parts(point, citations)
            lines.append(bullet + join_nonempty(label + text, sure, refs))
    lines += _footer(view.sources, citations, [view.procedure])
    out.write("\n".join(lines) + "\n")


def render_comparison(view: ComparisonView, out: TextIO) -> None:
    """Write a comparison as plain text: one block per aspect, one line per procedure."""
    citations = Citations.of(view.sources)
    lines = [" vs ".join(p.name for p in view.procedures)]
    for row in view.rows:
        lines += ["", row.spec.label]
        for proc, value in zip(view.procedures, row.values, strict=True):
            if value is None:
                lines.append(f"- {proc.name}: {NO_GOOD_DATA}.")
                continue
            cell = join_nonempty(
                end_sentence(format_amount(value)),
                value.note or "",
                certainty_sentence(value),
                citations.bracket(value.sources),
            )
            lines.append(f"- {proc.name}: {cell}")
        for match in row.head_to_head:
            found = match.finding
            verdict = finding_phrase(found, match.subject)
            lines.append(
                "- Head-to-head: "
                + join_nonempty(
                    end_sentence(verdict),
                    found.text,
                    certainty_sentence(found),
                    citations.bracket(found.sources),
                )
            )
    if view.evidence:
        lines += ["", "Evidence behind each row"]
        for row in view.rows:
            for source in view.row_sources(row):
                number = citations.numbers[source.id]
                lines.append(f"- {row.spec.label}: [{number}] {source.evidence_summary()}")
    lines += _footer(view.sources, citations, view.procedures)
    out.write("\n".join(lines) + "\n")


def render_sources(view: SourceList, out: TextIO) -> None:
    """One source per line: id, a tab, then the citation and its kind of evidence."""
    out.writelines(f"{s.id}\t{source_line(s)}\n" for s in view.sources)


def _footer(
    sources: Iterable[Source], citations: Citations, procs: Iterable[Procedure]
) -> list[str]:
    lines = ["", "Sources"]
    lines += [f"[{citations.numbers[s.id]}] {source_line(s)}" for s in sources]
    lines += ["", review_line(procs), DISCLAIMER, EMERGENCY]
    return lines


def render_procedures(view: ProcedureList, out: TextIO) -> None:
    """One `id<TAB>name<TAB>summary` line per procedure, nothing else."""
    out.writelines(f"{p.id}\t{p.name}\t{p.summary}\n" for p in view.procedures)


def render_search(view: SearchResult, out: TextIO) -> None:
    """One `id<TAB>section<TAB>sentence` line per hit, best first."""
    out.writelines(
        f"{h.document.procedure}\t{h.document.section}\t{h.document.text}\n" for h in view.hits
    )


def render_glossary(view: GlossaryView, out: TextIO) -> None:
    """`term<TAB>definition` lines; for one term, also where it is used."""
    for term in view.terms:
        out.write(f"{term.term}\t{term.definition}\n")
    if view.single:
        (term,) = view.terms
        if term.aliases:
            out.write(f"Also called: {', '.join(term.aliases)}\n")
        for pid, section in view.used_in[term.key]:
            out.write(f"Used in: {pid}\t{section_label(section)}\n")
