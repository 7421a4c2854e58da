"""CommonMark output: headings, lists, a pipe table for compare, footnote-style sources."""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterable
from typing import TextIO

from foracli.content import Words, words
from foracli.core.about import About
from foracli.core.decide import Decision
from foracli.core.layout import Laid
from foracli.core.model import SECTIONS_BY_KEY, Procedure, Region, Source, end_sentence
from foracli.core.query import (
    AnswerView,
    ComparisonView,
    Explanation,
    GlossaryView,
    Handout,
    ProcedureList,
    SearchResult,
    SourceList,
)
from foracli.render import StreamRenderer
from foracli.render.common import (
    Citations,
    answer_card,
    bar_reason,
    cell_amount,
    certainty_sentence,
    finding_phrase,
    join_nonempty,
    laid_out,
    mark,
    missing_value,
    needs_legend,
    nothing_lines,
    pair_label,
    point_text,
    row_label,
    section_certainty,
    shown_label,
    source_line,
)

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


def render_explanation(view: Explanation, out: TextIO, w: Words) -> None:
    """Write one procedure page as Markdown to *out*: the short version first."""
    citations = Citations.of(view.sources)
    proc = view.procedure
    lines = [f"# {escape(proc.name)}", "", escape(proc.summary)]
    if view.complete and view.variants:
        lines += ["", escape(w.see_also(view.variants))]
    laid = [laid_out(view, section) for section in view.sections]
    if needs_legend(laid):
        lines += ["", f"*{escape(w.text('certainty.legend'))}*"]
    for section, shown in zip(view.sections, laid, strict=True):
        lines += ["", f"## {escape(w.section_title(section.key, proc.approach))}", ""]
        lines += _section_lines(shown, citations, w)
        if section.key == "key-points" and view.glance:
            lines += ["", f"## {escape(w.text('heading.figures'))}", ""]
            lines += [
                f"- **{escape(w.aspect_label(v.key))}:** "
                + join_nonempty(
                    escape(end_sentence(cell_amount(v, view, w))),
                    _notes(v.sources, citations),
                )
                for v in view.glance
            ]
    if view.brief:
        lines += ["", escape(w.text("brief.more", id=proc.id))]
    lines += _footer(view.sources, citations, [proc], w, view.region)
    out.write("\n".join(lines) + "\n")


def _section_lines(laid: Laid, citations: Citations, w: Words) -> list[str]:
    """A section's lists: its shared certainty once, region headings, labels once."""
    lines: list[str] = []
    if laid.certainty is not None:
        lines += [f"*{escape(section_certainty(laid, w))}*", ""]
    numbered = SECTIONS_BY_KEY[laid.key].numbered
    for block in laid.blocks:
        if laid.split and block.region is not None:
            lines += ["", f"### {escape(w.region(block.region))}", ""]
        n = 0
        for group in block.groups:
            if group.label:
                if lines and lines[-1]:
                    lines.append("")
                lines += [f"**{escape(group.label)}**", ""]
            for point in group.points:
                n += 1
                bullet = f"{n}." if numbered else "-"
                shown = shown_label(point, laid, w)
                label = f"**{escape(shown)}:** " if shown else ""
                sure = mark(point, laid, w)
                body = join_nonempty(
                    label + escape(point_text(point, w)),
                    f"*{escape(sure)}*" if sure else "",
                    _notes(point.sources, citations),
                )
                lines.append(f"{bullet} {body}")
            if group.label:
                lines.append("")
    while lines and not lines[-1]:
        lines.pop()
    return lines


def render_comparison(view: ComparisonView, out: TextIO, w: Words) -> None:
    """Write a comparison as Markdown: a pipe table, then head-to-head findings."""
    citations = Citations.of(view.sources)
    names = [escape(p.name) for p in view.procedures]
    lines = [f"# {' vs '.join(names)}", ""]
    if any(v and v.certainty for r in view.rows for v in r.values):
        lines += [f"*{escape(w.text('certainty.legend'))}*", ""]
    lines.append(f"| {escape(w.text('column.aspect'))} | " + " | ".join(names) + " |")
    lines.append("|---" * (len(names) + 1) + "|")
    for row in view.rows:
        cells = []
        for column, value in enumerate(row.values):
            if value is None:
                cells.append(escape(missing_value(row, column, w)))
                continue
            cells.append(
                join_nonempty(
                    escape(end_sentence(cell_amount(value, view, w))),
                    escape(value.note or ""),
                    f"*{w.certainty_mark(value.certainty)}*" if value.certainty else "",
                    _notes(value.sources, citations),
                )
            )
        label = escape(row_label(row, w))
        why = bar_reason(row, w)
        if why:
            label += f": {escape(why)}"
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    findings = [(row, match) for row in view.rows for match in row.head_to_head]
    if findings:
        lines += ["", "## " + w.text("heading.studies-found"), ""]
        for row, match in findings:
            found = match.finding
            verdict = escape(finding_phrase(found, match.subject, w))
            lead = f"{row_label(row, w)}, {pair_label(match, w)}"
            lines.append(
                f"- **{escape(lead)}:** "
                + join_nonempty(
                    end_sentence(verdict),
                    escape(found.text),
                    f"*{certainty_sentence(found, w)}*" if found.certainty else "",
                    _notes(found.sources, citations),
                )
            )
    if view.evidence:
        lines += ["", "## " + w.text("heading.evidence"), ""]
        for row in view.rows:
            for source in view.row_sources(row):
                lines.append(
                    f"- **{escape(row_label(row, w))}:** "
                    + escape(w.evidence_summary(source))
                    + _notes([source.id], citations)
                )
    lines += _footer(view.sources, citations, view.procedures, w, view.region)
    out.write("\n".join(lines) + "\n")


def render_sources(view: SourceList, out: TextIO, w: Words) -> None:
    """A numbered Markdown list of the sources."""
    title = (
        w.text("heading.sources-for", name=view.procedure.name)
        if view.procedure
        else w.text("heading.sources")
    )
    lines = [f"# {escape(title)}", ""]
    lines += [f"{n}. {escape(source_line(s, w))}" for n, s in enumerate(view.sources, start=1)]
    out.write("\n".join(lines) + "\n")


def _footer(
    sources: Iterable[Source],
    citations: Citations,
    procs: Iterable[Procedure],
    w: Words,
    region: Region | None = None,
) -> list[str]:
    sources = list(sources)
    lines = ["", "## " + w.text("heading.sources")] if sources else []
    for source in sources:
        lines += ["", f"[^{citations.numbers[source.id]}]: {escape(source_line(source, w))}"]
    lines += [
        "",
        "---",
        "",
        escape(w.review(procs)),
        "",
        f"*{w.text('disclaimer')} {w.emergency(region)}*",
    ]
    return lines


def render_procedures(view: ProcedureList, out: TextIO, w: Words) -> None:
    """A Markdown list of procedures with their summaries."""
    lines = ["# Procedures", ""]
    lines += [f"- **{escape(p.name)}** (`{p.id}`): {escape(p.summary)}" for p in view.procedures]
    out.write("\n".join(lines) + "\n")


def render_search(view: SearchResult, out: TextIO, w: Words) -> None:
    """A Markdown list of search hits."""
    lines = ["# " + w.text("heading.search", query=escape(view.query)), ""]
    for hit in view.hits:
        place = w.place(hit.document.section)
        # An aspect's text leads with its label; said once is enough.
        text = hit.document.text.removeprefix(f"{place}: ")
        lines.append(f"- **{escape(hit.document.procedure)}**, {escape(place)}: {escape(text)}")
    out.write("\n".join(lines) + "\n")


def render_glossary(view: GlossaryView, out: TextIO, w: Words) -> None:
    """A Markdown definition list (bold term, then its meaning)."""
    lines = ["# Glossary", ""]
    for term in view.terms:
        lines.append(f"- **{escape(term.term)}**: {escape(term.definition)}")
    out.write("\n".join(lines) + "\n")


def render_answer(view: AnswerView, out: TextIO, w: Words) -> None:
    """The question as the heading, a section per answer, footnote-style sources."""
    lines = ["# " + escape(w.text("heading.answer", question=view.question)), ""]
    if not view.answers:
        lines += [escape(line) for line in nothing_lines(view, w)]
        out.write("\n".join([*lines, "", escape(w.text("disclaimer"))]) + "\n")
        return
    citations = Citations.of(view.sources)
    for answer in view.answers:
        card = answer_card(answer, w)
        body = join_nonempty(escape(card.text), escape(card.certainty))
        lines += [f"## {escape(card.title)}", "", body + _notes(answer.sources, citations), ""]
        if card.more:
            lines += [w.text("answer.more", command=f"`{card.more}`"), ""]
    for source in view.sources:
        lines.append(f"[^{citations.numbers[source.id]}]: {escape(source_line(source, w))}")
    lines += ["", f"*{escape(w.text('disclaimer'))} {escape(w.emergency(view.region))}*"]
    out.write("\n".join(lines) + "\n")


def MarkdownRenderer(*, locale: str = "en") -> StreamRenderer:
    """The renderer of this format, for every page view."""
    return StreamRenderer(sys.modules[__name__], locale=locale)


_HEADING = re.compile(r"^(#{1,5}) ", re.MULTILINE)
_NOTE = re.compile(r"\[\^(\d+)\]")


def _nest(text: str) -> str:
    """A second page, made part of the first: headings one level down, own footnote labels.

    Escaped knowledge-base text can hold neither a line-start '#' nor '[^1]', so
    only the renderer's own headings and footnotes match.
    """
    text = _HEADING.sub(r"#\1 ", text)
    return _NOTE.sub(r"[^c\1]", text)


def render_handout(page: Handout, out: TextIO, w: Words) -> None:
    """The Markdown handout: the explanation, the comparison, then the terms used."""
    view, comparison, terms = page.explanation, page.comparison, page.terms
    render_explanation(view, out, w)
    if comparison is not None:
        part = io.StringIO()
        render_comparison(comparison, part, w)
        out.write("\n" + _nest(part.getvalue()))
    if terms:
        out.write(f"\n## {w.text('heading.words-used')}\n\n")
        for term in terms:
            aliases = escape(", ".join(term.aliases))
            also = f" ({w.text('label.also')}: {aliases})" if term.aliases else ""
            name = escape(term.term)
            out.write(f"- **{name}**{also}: {escape(term.definition)}\n")
    out.write(f"\n{escape(w.text('about.footer'))}\n")


class MarkdownHandoutRenderer:
    """Renders the handout as one Markdown document."""

    def __init__(self, *, locale: str = "en") -> None:
        self.words = words(locale)

    def render(self, view: Handout, out: TextIO) -> None:
        """Write *view* to *out*."""
        render_handout(view, out, self.words)


def render_decision(view: Decision, out: TextIO, w: Words) -> None:
    """The decision aid (see render.decision)."""
    from foracli.render.decision import render_decision_markdown

    render_decision_markdown(view, out, w)


def render_about(view: About, out: TextIO, w: Words) -> None:
    """The about statement (see render.decision)."""
    from foracli.render.decision import render_about_markdown

    render_about_markdown(view, out, w)
