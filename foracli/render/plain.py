"""Plain UTF-8 text for pipes: one heading line per section, one line per point.

No escape codes, no box drawing and no hard wrapping, so grep, wc and less see
stable lines.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TextIO

from foracli.content import Words
from foracli.core.model import SECTIONS_BY_KEY, Procedure, Source, end_sentence
from foracli.core.query import (
    AnswerView,
    ComparisonView,
    Explanation,
    GlossaryView,
    ProcedureList,
    SearchResult,
    SourceList,
)
from foracli.render import StreamRenderer
from foracli.render.common import (
    Citations,
    answer_card,
    certainty_sentence,
    finding_phrase,
    join_nonempty,
    nothing_lines,
    point_parts,
    source_line,
)


def render_explanation(view: Explanation, out: TextIO, w: Words) -> None:
    """Write one procedure page as plain text to *out*."""
    citations = Citations.of(view.sources)
    lines = [view.procedure.name, view.procedure.summary]
    if view.variants:
        lines.append(w.see_also(view.variants))
    for section in view.sections:
        spec = SECTIONS_BY_KEY[section.key]
        lines += ["", w.section_title(spec.key, view.procedure.approach)]
        for n, point in enumerate(section.points, start=1):
            bullet = f"{n}. " if spec.numbered else "- "
            label, text, sure, refs = point_parts(point, citations, w)
            lines.append(bullet + join_nonempty(label + text, sure, refs))
    lines += _footer(view.sources, citations, [view.procedure], w)
    out.write("\n".join(lines) + "\n")


def render_comparison(view: ComparisonView, out: TextIO, w: Words) -> None:
    """Write a comparison as plain text: one block per aspect, one line per procedure."""
    citations = Citations.of(view.sources)
    lines = [w.text("versus").join(p.name for p in view.procedures)]
    for row in view.rows:
        lines += ["", w.aspect_label(row.spec.key)]
        for proc, value in zip(view.procedures, row.values, strict=True):
            if value is None:
                lines.append(f"- {proc.name}: {w.text('amount.no-good-data')}.")
                continue
            cell = join_nonempty(
                end_sentence(w.amount(value)),
                value.note or "",
                certainty_sentence(value, w),
                citations.bracket(value.sources),
            )
            lines.append(f"- {proc.name}: {cell}")
        for match in row.head_to_head:
            found = match.finding
            verdict = finding_phrase(found, match.subject, w)
            lines.append(
                f"- {w.text('label.head-to-head')}: "
                + join_nonempty(
                    end_sentence(verdict),
                    found.text,
                    certainty_sentence(found, w),
                    citations.bracket(found.sources),
                )
            )
    if view.evidence:
        lines += ["", w.text("heading.evidence")]
        for row in view.rows:
            for source in view.row_sources(row):
                number = citations.numbers[source.id]
                lines.append(
                    f"- {w.aspect_label(row.spec.key)}: [{number}] {w.evidence_summary(source)}"
                )
    lines += _footer(view.sources, citations, view.procedures, w)
    out.write("\n".join(lines) + "\n")


def render_sources(view: SourceList, out: TextIO, w: Words) -> None:
    """One source per line: id, a tab, then the citation and its kind of evidence."""
    out.writelines(f"{s.id}\t{source_line(s, w)}\n" for s in view.sources)


def _footer(
    sources: Iterable[Source], citations: Citations, procs: Iterable[Procedure], w: Words
) -> list[str]:
    lines = ["", w.text("heading.sources")]
    lines += [f"[{citations.numbers[s.id]}] {source_line(s, w)}" for s in sources]
    lines += ["", w.review(procs), w.text("disclaimer"), w.text("emergency")]
    return lines


def render_procedures(view: ProcedureList, out: TextIO, w: Words) -> None:
    """One `id<TAB>name<TAB>summary` line per procedure, nothing else."""
    out.writelines(f"{p.id}\t{p.name}\t{p.summary}\n" for p in view.procedures)


def render_search(view: SearchResult, out: TextIO, w: Words) -> None:
    """One `id<TAB>section<TAB>sentence` line per hit, best first."""
    out.writelines(
        f"{h.document.procedure}\t{h.document.section}\t{h.document.text}\n" for h in view.hits
    )


def render_glossary(view: GlossaryView, out: TextIO, w: Words) -> None:
    """`term<TAB>definition` lines; for one term, also where it is used."""
    for term in view.terms:
        out.write(f"{term.term}\t{term.definition}\n")
    if view.single:
        (term,) = view.terms
        if term.aliases:
            out.write(f"{w.text('label.also-called')}: {', '.join(term.aliases)}\n")
        for pid, section in view.used_in[term.key]:
            out.write(f"{w.text('label.used-in')}: {pid}\t{w.place(section)}\n")


def render_answer(view: AnswerView, out: TextIO, w: Words) -> None:
    """One block per answer (title, text, how sure and sources, the command for more),
    then the sources and the disclaimer; or what foracli can answer instead."""
    if not view.answers:
        out.write("\n".join([*nothing_lines(view, w), "", w.text("disclaimer")]) + "\n")
        return
    citations = Citations.of(view.sources)
    lines: list[str] = []
    for answer in view.answers:
        card = answer_card(answer, w)
        lines += [card.title, join_nonempty(card.text, card.certainty, citations.bracket(answer.sources))]
        lines += [w.text("answer.more", command=card.more)] if card.more else []
        lines.append("")
    if view.sources:
        lines.append(w.text("heading.sources"))
        lines += [f"[{citations.numbers[s.id]}] {source_line(s, w)}" for s in view.sources]
        lines.append("")
    lines += [w.text("disclaimer"), w.text("emergency")]
    out.write("\n".join(lines) + "\n")


def PlainRenderer(*, locale: str = "en") -> StreamRenderer:
    """The renderer of this format, for every page view."""
    return StreamRenderer(sys.modules[__name__], locale=locale)
