"""Plain UTF-8 text for pipes: one heading line per section, one line per point.

No escape codes, no box drawing and no hard wrapping, so grep, wc and less see
stable lines.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from foracli.content import Words
from foracli.core.about import About
from foracli.core.decide import Decision
from foracli.core.layout import Laid
from foracli.core.model import SECTIONS_BY_KEY, Procedure, Region, Source, end_sentence
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
    cell_amount,
    certainty_sentence,
    finding_phrase,
    join_nonempty,
    laid_out,
    missing_value,
    needs_legend,
    nothing_lines,
    pair_label,
    point_parts,
    row_label,
    section_certainty,
    source_line,
)

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from typing import TextIO


def render_explanation(view: Explanation, out: TextIO, w: Words) -> None:
    """Write one procedure page as plain text to *out*: the short version first."""
    citations = Citations.of(view.sources)
    proc = view.procedure
    lines = [proc.name, proc.summary]
    if view.complete and view.variants:
        lines.append(w.see_also(view.variants))
    laid = [laid_out(view, section) for section in view.sections]
    if needs_legend(laid):
        lines.append(w.text("certainty.legend"))
    for section, shown in zip(view.sections, laid, strict=True):
        lines += ["", w.section_title(section.key, proc.approach)]
        lines += _section_lines(shown, citations, w)
        if section.key == "key-points" and view.glance:
            lines += ["", w.text("heading.figures")]
            lines += [
                f"- {w.aspect_label(v.key)}: {end_sentence(cell_amount(v, view, w))}"
                for v in view.glance
            ]
    if view.brief:
        lines += ["", w.text("brief.more", id=proc.id)]
    lines += _footer(view.sources, citations, [proc], w, view.region)
    out.write("\n".join(lines) + "\n")


def _section_lines(laid: Laid, citations: Citations, w: Words) -> list[str]:
    """A section's lines: its shared certainty, region headings, labels said once."""
    lines = []
    if laid.certainty is not None:
        lines.append(section_certainty(laid, w))
    numbered = SECTIONS_BY_KEY[laid.key].numbered
    for block in laid.blocks:
        indent = ""
        if laid.split and block.region is not None:
            lines.append(f"{w.region(block.region)}:")
        n = 0
        for group in block.groups:
            inner = indent
            if group.label:
                lines.append(f"{indent}{group.label}:")
                inner = indent + "  "
            for point in group.points:
                n += 1
                bullet = f"{n}. " if numbered else "- "
                label, text, sure, refs = point_parts(point, citations, w, laid)
                lines.append(inner + bullet + join_nonempty(label + text, sure, refs))
    return lines


def render_comparison(view: ComparisonView, out: TextIO, w: Words) -> None:
    """Write a comparison as plain text: one block per aspect, one line per procedure."""
    citations = Citations.of(view.sources)
    lines = [w.text("versus").join(p.name for p in view.procedures)]
    for row in view.rows:
        lines += ["", row_label(row, w)]
        for column, (proc, value) in enumerate(zip(view.procedures, row.values, strict=True)):
            if value is None:
                lines.append(f"- {proc.name}: {end_sentence(missing_value(row, column, w))}")
                continue
            cell = join_nonempty(
                end_sentence(cell_amount(value, view, w)),
                end_sentence(value.note) if value.note else "",
                certainty_sentence(value, w),
                citations.bracket(value.sources),
            )
            lines.append(f"- {proc.name}: {cell}")
        for match in row.head_to_head:
            found = match.finding
            verdict = finding_phrase(found, match.subject, w)
            lines.append(
                f"- {pair_label(match, w)}: "
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
                lines.append(f"- {row_label(row, w)}: [{number}] {w.evidence_summary(source)}")
    lines += _footer(view.sources, citations, view.procedures, w, view.region)
    out.write("\n".join(lines) + "\n")


def render_sources(view: SourceList, out: TextIO, w: Words) -> None:
    """One source per line: id, a tab, then the citation and its kind of evidence."""
    out.writelines(f"{s.id}\t{source_line(s, w)}\n" for s in view.sources)


def _footer(
    sources: Iterable[Source],
    citations: Citations,
    procs: Iterable[Procedure],
    w: Words,
    region: Region | None = None,
) -> list[str]:
    cited = [f"[{citations.numbers[s.id]}] {source_line(s, w)}" for s in sources]
    lines = ["", w.text("heading.sources"), *cited] if cited else []
    lines += ["", w.review(procs), w.text("disclaimer"), w.emergency(region)]
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
            place = w.place(section, view.approaches.get(pid))
            out.write(f"{w.text('label.used-in')}: {pid}\t{place}\n")


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
        lines += [
            card.title,
            join_nonempty(card.text, card.certainty, citations.bracket(answer.sources)),
        ]
        lines += [w.text("answer.more", command=card.more)] if card.more else []
        lines.append("")
    if view.sources:
        lines.append(w.text("heading.sources"))
        lines += [f"[{citations.numbers[s.id]}] {source_line(s, w)}" for s in view.sources]
        lines.append("")
    lines += [w.text("disclaimer"), w.emergency(view.region)]
    out.write("\n".join(lines) + "\n")


def PlainRenderer(*, locale: str = "en") -> StreamRenderer:
    """The renderer of this format, for every page view."""
    return StreamRenderer(sys.modules[__name__], locale=locale)


def render_decision(view: Decision, out: TextIO, w: Words) -> None:
    """The decision aid (see render.decision)."""
    from foracli.render.decision import render_decision

    render_decision(view, out, w)


def render_about(view: About, out: TextIO, w: Words) -> None:
    """The about statement (see render.decision)."""
    from foracli.render.decision import render_about

    render_about(view, out, w)
