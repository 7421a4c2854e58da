"""The terminal pages, built once for both terminal back-ends.

Each function lays a view out as panels, tables and styled texts through a kit: Rich's
classes (`render.terminal`) or their exact reimplementation (`render.fastterm`), which
share the constructor signatures the pages use. So the two back-ends cannot drift: they
draw the same description, and `tests/test_fastterm.py` checks they draw it alike.

Every piece of knowledge-base text goes in as a `Text` object, never as a markup
string, so `[bold]` or `:pill:` in the data print literally.
"""

from __future__ import annotations

from foracli.content import Words, format_number
from foracli.core.model import SECTIONS_BY_KEY, Procedure, Region, Source, end_sentence
from foracli.core.query import (
    AnswerView,
    ComparisonView,
    Explanation,
    GlossaryView,
    ProcedureList,
    Row,
    SearchResult,
    SourceList,
)
from foracli.core.search import highlight_spans
from foracli.render.common import (
    Citations,
    answer_card,
    bar_reason,
    cell_amount,
    finding_phrase,
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
    source_link,
)

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Protocol, TypeAlias

    from foracli.core.layout import Laid
    from foracli.render.fastterm import Box, Group, Padding, Panel, Style, Table, Text

    Renderable: TypeAlias = Text | Table | Panel | Padding | Group

    class Kit(Protocol):
        """The classes a page is built from (typed as fastterm's; Rich's match them)."""

        Text: type[Text]
        Table: type[Table]
        Panel: type[Panel]
        Padding: type[Padding]
        Group: type[Group]
        ROUNDED: Box
        HEAVY: Box

        def link(self, target: str) -> Style:
            """A style making text a link to *target*."""


READING_WIDTH = 100  # lines longer than this are hard to read; wider terminals get margins
STACK_BELOW = 90  # narrower than this, compare stacks one block per procedure

SECTION_STYLES = {
    "benefits": "green",
    "risks": "red",
    "red-flags": "bold red",
    "key-points": "magenta",
}


def _refs(ids: Iterable[str], citations: Citations) -> str:
    """'[1,2,3] [7,9]': no space inside a bracket, as Rich wraps at any whitespace (no-break
    spaces too) and '[1,' / '3]' reads as two citations; long lists in brackets of three,
    so a narrow column breaks between brackets, never inside one."""
    marks = [str(n) for n in citations.marks(ids)]
    return " ".join(f"[{','.join(marks[i : i + 3])}]" for i in range(0, len(marks), 3))


def _bullets(k: Kit, rows: Sequence[tuple[str, Text]]) -> Table:
    """A list with a hanging indent: wrapped lines line up under the text."""
    grid = k.Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, justify="right")
    grid.add_column(overflow="fold")
    for bullet, text in rows:
        grid.add_row(bullet, text)
    return grid


def _point_text(k: Kit, label: str | None, text: str, sure: str, refs: str) -> Text:
    out = k.Text()
    if label:
        out.append(f"{label}: ", style="bold")
    out.append(text)
    if sure:
        out.append(f" {sure}", style="italic")
    if refs:
        out.append(f" {refs}", style="dim")
    return out


def _section_body(k: Kit, laid: Laid, citations: Citations, w: Words) -> Renderable:
    """A section's points: the shared certainty once, region headings, labels once."""
    parts: list[Renderable] = []
    if laid.certainty is not None:
        parts.append(k.Text(section_certainty(laid, w), style="italic"))
    numbered = SECTIONS_BY_KEY[laid.key].numbered
    for block in laid.blocks:
        if laid.split and block.region is not None:
            if parts:
                parts.append(k.Text(""))
            parts.append(k.Text(w.region(block.region), style="bold underline"))
        n = 0
        rows: list[tuple[str, Text]] = []
        for group in block.groups:
            if group.label:
                if rows:
                    parts.append(_bullets(k, rows))
                    rows = []
                parts.append(k.Text(group.label, style="bold"))
            for point in group.points:
                n += 1
                text = _point_text(
                    k,
                    shown_label(point, laid, w),
                    point_text(point, w),
                    mark(point, laid, w),
                    _refs(point.sources, citations),
                )
                rows.append((f"{n}." if numbered else "•", text))
            if group.label:
                parts.append(k.Padding(_bullets(k, rows), (0, 0, 0, 2)))
                rows = []
        if rows:
            parts.append(_bullets(k, rows))
    return k.Group(*parts)


def _cited(k: Kit, text: str, source: Source, links: bool) -> Text:
    """*text* about *source*; with *links*, clickable (OSC 8) to its DOI, PubMed or page."""
    target = source_link(source) if links else None
    return k.Text(text, style=k.link(target)) if target else k.Text(text)


def explanation_parts(
    k: Kit, view: Explanation, w: Words, *, links: bool = False
) -> list[Renderable]:
    """One procedure page: a header, then one panel per section, key points first."""
    if view.brief:
        return _brief(k, view, w)
    citations = Citations.of(view.sources)
    proc = view.procedure
    laid = [laid_out(view, section) for section in view.sections]
    header: list[Renderable] = [k.Text(proc.name, style="bold cyan"), k.Text(proc.summary)]
    if view.complete and view.variants:
        header.append(k.Text(w.see_also(view.variants), style="dim"))
    if needs_legend(laid):
        header.append(k.Text(w.text("certainty.legend"), style="dim italic"))
    parts: list[Renderable] = [k.Panel(k.Group(*header), box=k.HEAVY, border_style="cyan")]
    for section, shown in zip(view.sections, laid, strict=True):
        style = SECTION_STYLES.get(section.key, "blue")
        body = (
            _timeline(k, shown, citations, w)
            if section.key == "recovery" and any(p.label for p in section.points)
            else _section_body(k, shown, citations, w)
        )
        parts.append(_panel(k, body, w.section_title(section.key, proc.approach), style))
        if section.key == "key-points" and view.glance:
            parts.append(_panel(k, _figures(k, view, w), w.text("heading.figures"), "cyan"))
    parts += _footer(k, view.sources, citations, [proc], w, links=links, region=view.region)
    return parts


def _brief(k: Kit, view: Explanation, w: Words) -> list[Renderable]:
    """The one-screen version: headings instead of boxes, one line a figure."""
    proc = view.procedure
    citations = Citations.of(view.sources)
    parts: list[Renderable] = [k.Text(proc.name, style="bold cyan"), k.Text(proc.summary)]
    for section in view.sections:
        style = SECTION_STYLES.get(section.key, "blue")
        title = w.section_title(section.key, proc.approach)
        # No blank lines between sections: the coloured headings part them, and the
        # whole brief has to fit one screen.
        parts += [k.Text(title, style=f"bold {style} underline")]
        parts.append(_section_body(k, laid_out(view, section), citations, w))
        if section.key == "key-points" and view.glance:
            parts += [k.Text(w.text("heading.figures"), style="bold cyan underline")]
            parts.append(_figures(k, view, w))
    parts += [
        k.Text(""),
        k.Text(w.text("brief.more", id=proc.id), style="dim"),
        k.Text(w.review([proc]), style="dim"),
        k.Text(w.text("disclaimer"), style="bold yellow"),
    ]
    return parts


def _panel(k: Kit, body: Renderable, title: str, style: str) -> Panel:
    return k.Panel(
        body,
        title=k.Text(f" {title} ", style=f"bold {style}"),
        title_align="left",
        border_style=style,
        box=k.ROUNDED,
    )


def _figures(k: Kit, view: Explanation, w: Words) -> Table:
    """The page's own figures, each with what it measured (the brief's at a glance)."""
    grid = k.Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for value in view.glance:
        grid.add_row(
            k.Text(w.aspect_label(value.key)), k.Text(cell_amount(value, view, w, with_text=False))
        )
    return grid


def _timeline(k: Kit, laid: Laid, citations: Citations, w: Words) -> Renderable:
    """Recovery as a timeline: one stop per time label, its points beside it."""
    parts: list[Renderable] = []
    if laid.certainty is not None:
        parts.append(k.Text(section_certainty(laid, w), style="italic"))
    for block in laid.blocks:
        if laid.split and block.region is not None:
            parts.append(k.Text(w.region(block.region), style="bold underline"))
        grid = k.Table.grid(padding=(0, 1))
        grid.add_column(justify="right", style="bold", no_wrap=True)
        grid.add_column(no_wrap=True, style="blue")
        grid.add_column(overflow="fold")
        for group in block.groups:
            for n, point in enumerate(group.points):
                label = group.label or point.label or ""
                text = _point_text(
                    k,
                    None,
                    point_text(point, w),
                    mark(point, laid, w),
                    _refs(point.sources, citations),
                )
                # A shared label starts one stop; each point's own label starts its own.
                first = bool(label) and (n == 0 or group.label is None)
                if first and grid.row_count:
                    grid.add_row("", "│", "")
                grid.add_row(label if first else "", "●" if first or not label else "│", text)
        parts.append(grid)
    return k.Group(*parts)


def _bars(k: Kit, view: ComparisonView, width: int, w: Words) -> Group | None:
    """Numeric rows as bars on a scale shared by the procedures in each row, drawn only
    when the figures measured the same thing; otherwise the row says why not."""
    rows = [r for r in view.rows if r.spec.unit and any(v and v.low is not None for v in r.values)]
    if not rows:
        return None
    name_width = min(max(len(p.name) for p in view.procedures), 24)
    bar_width = max(width - name_width - 24, 10)
    colours = ["cyan", "magenta", "green", "yellow", "blue", "red"]
    parts: list[Renderable] = []
    for row in rows:
        label = row_label(row, w)
        if parts:
            parts.append(k.Text(""))
        if not row.bar.comparable:
            line = k.Text(f"{label}: ", style="bold")
            line.append(bar_reason(row, w), style="italic")
            parts.append(line)
            continue
        top = max((v.high if v.high is not None else v.low) or 0 for v in row.values if v) or 1
        key = "scale.basis" if row.bar.basis else "scale"
        scale = w.text(
            key, label=label, unit=row.spec.unit, top=format_number(top), basis=row.bar.basis
        )
        parts.append(k.Text(scale, "bold"))
        grid = k.Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=False, overflow="fold", width=name_width)
        grid.add_column(no_wrap=True, width=bar_width)
        grid.add_column(overflow="fold")
        for n, (proc, value) in enumerate(zip(view.procedures, row.values, strict=True)):
            bar = k.Text()
            if value is None or value.low is None:
                bar.append("·" * bar_width, style="dim")
                amount = k.Text(missing_value(row, n, w), style="dim italic")
            else:
                high = value.high if value.high is not None else value.low
                start = min(round(value.low / top * bar_width), bar_width - 1)
                end = max(round(high / top * bar_width), start + 1)
                bar.append("─" * start, style="dim")
                bar.append("█" * (end - start), style=colours[n % len(colours)])
                bar.append("─" * (bar_width - end), style="dim")
                amount = k.Text(w.amount(value, with_text=False))
            grid.add_row(k.Text(proc.name), bar, amount)
        parts.append(grid)
    return k.Group(*parts)


def _value_cell(
    k: Kit, view: ComparisonView, row: Row, column: int, citations: Citations, w: Words
) -> Text:
    value = row.values[column]
    if value is None:
        return k.Text(missing_value(row, column, w), style="dim italic")
    cell = k.Text(cell_amount(value, view, w), style="bold")
    if value.note:
        cell.append(f"\n{value.note}")
    if value.certainty:
        cell.append(f" {w.certainty_mark(value.certainty)}", style="italic")
    refs = _refs(value.sources, citations)
    if refs:
        cell.append(f" {refs}", style="dim")
    return cell


def comparison_parts(
    k: Kit,
    view: ComparisonView,
    width: int,
    *,
    bars: bool = True,
    w: Words,
    links: bool = False,
) -> list[Renderable]:
    """A comparison: at a glance first, then a table (stacked blocks on a narrow
    terminal), then what head-to-head studies found."""
    citations = Citations.of(view.sources)
    title = k.Text(w.text("versus").join(p.name for p in view.procedures), style="bold cyan")
    parts: list[Renderable] = [title]
    chart = _bars(k, view, width - 4, w) if bars else None
    if chart is not None:
        parts.append(_panel(k, chart, w.text("heading.at-a-glance"), "cyan"))
    if any(v and v.certainty for r in view.rows for v in r.values):
        parts.append(k.Text(w.text("certainty.legend"), style="dim italic"))
    if width < STACK_BELOW:
        for column, proc in enumerate(view.procedures):
            rows = [
                (row_label(row, w), _value_cell(k, view, row, column, citations, w))
                for row in view.rows
            ]
            grid = k.Table.grid(padding=(0, 1))
            grid.add_column(style="bold", overflow="fold", ratio=1)
            grid.add_column(overflow="fold", ratio=3)
            for label, cell in rows:
                grid.add_row(k.Text(label), cell)
            parts.append(_panel(k, grid, proc.name, "blue"))
    else:
        table = k.Table(box=k.ROUNDED, show_lines=True, header_style="bold", expand=True)
        table.add_column("", style="bold", overflow="fold", ratio=2)
        for proc in view.procedures:
            table.add_column(k.Text(proc.name), overflow="fold", ratio=3)
        for row in view.rows:
            cells: list[Renderable] = [k.Text(row_label(row, w), style="bold")]
            cells += [
                _value_cell(k, view, row, n, citations, w) for n in range(len(view.procedures))
            ]
            table.add_row(*cells)
        parts.append(table)
    findings = [(row, match) for row in view.rows for match in row.head_to_head]
    if findings:
        items = []
        for row, match in findings:
            found = match.finding
            text = k.Text(f"{row_label(row, w)}, ", style="bold")
            text.append(f"{pair_label(match, w)}: ", style="bold")
            text.append(end_sentence(finding_phrase(found, match.subject, w)) + " ", style="yellow")
            text.append(found.text)
            if found.certainty:
                text.append(f" {w.certainty_mark(found.certainty)}", style="italic")
            refs = _refs(found.sources, citations)
            if refs:
                text.append(f" {refs}", style="dim")
            items.append(("•", text))
        parts.append(_panel(k, _bullets(k, items), w.text("heading.studies-found"), "yellow"))
    if view.evidence:
        parts.append(_evidence_table(k, view, citations, w))
    parts += _footer(
        k, view.sources, citations, view.procedures, w, links=links, region=view.region
    )
    return parts


def _evidence_table(k: Kit, view: ComparisonView, citations: Citations, w: Words) -> Table:
    table = k.Table(
        title=k.Text(w.text("heading.evidence"), style="bold"),
        box=k.ROUNDED,
        expand=True,
        show_lines=True,
    )
    table.add_column(w.text("column.row"), style="bold", overflow="fold", ratio=1)
    table.add_column(w.text("column.study"), overflow="fold", ratio=4)
    for row in view.rows:
        for source in view.row_sources(row):
            study = k.Text(f"[{citations.numbers[source.id]}] ", style="dim")
            study.append(w.evidence_summary(source))
            table.add_row(k.Text(row_label(row, w)), study)
    return table


def sources_parts(k: Kit, view: SourceList, w: Words, *, links: bool = False) -> list[Renderable]:
    """A bibliography as a table: number, citation, kind of evidence."""
    title = (
        w.text("heading.sources-for", name=view.procedure.name)
        if view.procedure
        else w.text("heading.sources")
    )
    table = k.Table(title=k.Text(title, style="bold cyan"), box=k.ROUNDED, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column(w.text("column.source"), overflow="fold", ratio=3)
    table.add_column(w.text("column.evidence"), overflow="fold", ratio=1)
    for n, source in enumerate(view.sources, start=1):
        table.add_row(
            str(n), _cited(k, w.citation(source), source, links), k.Text(w.evidence_label(source))
        )
    return [table]


def _sources_panel(
    k: Kit, sources: Sequence[Source], citations: Citations, w: Words, *, links: bool = False
) -> Panel:
    """The numbered sources under a page or an answer, in small, dim print."""
    rows = [
        (f"[{citations.numbers[s.id]}]", _cited(k, source_line(s, w), s, links)) for s in sources
    ]
    return k.Panel(
        _bullets(k, rows),
        title=k.Text(f" {w.text('heading.sources')} ", style="bold"),
        title_align="left",
        border_style="dim",
        box=k.ROUNDED,
        style="dim",
    )


def _footer(
    k: Kit,
    sources: Sequence[Source],
    citations: Citations,
    procs: Iterable[Procedure],
    w: Words,
    *,
    links: bool = False,
    region: Region | None = None,
) -> list[Renderable]:
    parts: list[Renderable] = []
    if sources:
        parts.append(_sources_panel(k, sources, citations, w, links=links))
    parts.append(k.Text(w.review(procs), style="dim"))
    parts.append(k.Text(f"{w.text('disclaimer')} {w.emergency(region)}", style="bold yellow"))
    return parts


def procedures_parts(k: Kit, view: ProcedureList, w: Words) -> list[Renderable]:
    """The procedures as a table."""
    table = k.Table(
        title=k.Text(w.text("heading.procedures"), style="bold cyan"), box=k.ROUNDED, expand=True
    )
    table.add_column(w.text("column.name"), style="bold", overflow="fold", ratio=2)
    table.add_column(w.text("column.id"), style="cyan", overflow="fold", ratio=2)
    table.add_column(w.text("column.what-it-is"), overflow="fold", ratio=5)
    for proc in view.procedures:
        table.add_row(k.Text(proc.name), k.Text(proc.id), k.Text(proc.summary))
    return [table]


def search_parts(k: Kit, view: SearchResult, w: Words) -> list[Renderable]:
    """Hits best first: where each is on one line (an id never breaks), the
    matched words highlighted in the text below it."""
    parts: list[Renderable] = []
    for hit in view.hits:
        if parts:
            parts.append(k.Text(""))
        where = k.Text(hit.document.procedure, style="bold")
        where.append(f" · {w.place(hit.document.section)}", style="dim")
        sentence = k.Text(hit.document.text)
        for start, end in highlight_spans(hit.document.text, hit.matched, w.language):
            sentence.stylize("bold yellow", start, end)
        parts += [where, k.Padding(sentence, (0, 0, 0, 2))]
    return [_panel(k, k.Group(*parts), w.text("heading.search", query=view.query), "cyan")]


def glossary_parts(k: Kit, view: GlossaryView, w: Words) -> list[Renderable]:
    """Terms as a table; one term as a panel with where it is used."""
    if view.single:
        (term,) = view.terms
        body = k.Text(term.definition)
        if term.aliases:
            body.append(f"\n{w.text('label.also-called')}: {', '.join(term.aliases)}", style="dim")
        for pid, section in view.used_in[term.key]:
            place = w.place(section, view.approaches.get(pid))
            body.append(f"\n{w.text('label.used-in')}: {pid}, {place}", style="dim")
        return [
            k.Panel(
                body,
                title=k.Text(f" {term.term} ", style="bold cyan"),
                title_align="left",
                box=k.ROUNDED,
                border_style="cyan",
            )
        ]
    table = k.Table(
        title=k.Text(w.text("heading.glossary"), style="bold cyan"), box=k.ROUNDED, expand=True
    )
    table.add_column(w.text("column.term"), style="bold", overflow="fold", ratio=1)
    table.add_column(w.text("column.meaning"), overflow="fold", ratio=3)
    for term in view.terms:
        table.add_row(k.Text(term.term), k.Text(term.definition))
    return [table]


def answer_parts(k: Kit, view: AnswerView, w: Words) -> list[Renderable]:
    """Each answer as a panel (the command for more at its foot), then the sources."""
    heading = k.Text(w.text("heading.answer", question=view.question), style="bold cyan")
    if not view.answers:
        body = k.Text("\n".join(nothing_lines(view, w)))
        return [
            k.Panel(body, title=heading, title_align="left", box=k.ROUNDED),
            k.Text(w.text("disclaimer"), style="bold yellow"),
        ]
    parts: list[Renderable] = [heading]
    citations = Citations.of(view.sources)
    for answer in view.answers:
        card = answer_card(answer, w)
        body = k.Text(card.text)
        if card.certainty:
            body.append(f" {card.certainty}", style="italic")
        refs = _refs(answer.sources, citations)
        if refs:
            body.append(f" {refs}", style="dim")
        parts.append(
            k.Panel(
                body,
                title=k.Text(f" {card.title} ", style="bold"),
                title_align="left",
                subtitle=k.Text(f" {w.text('answer.more', command=card.more)} ", style="cyan")
                if card.more
                else None,
                subtitle_align="left",
                box=k.ROUNDED,
                border_style="cyan",
            )
        )
    if view.sources:
        parts.append(_sources_panel(k, view.sources, citations, w))
    parts.append(k.Text(f"{w.text('disclaimer')} {w.emergency(view.region)}", style="bold yellow"))
    return parts
