"""Rich panels and tables for a terminal. The only module that imports Rich.

Every piece of knowledge-base text goes in as a `Text` object, never as a
markup string, so `[bold]` or `:pill:` in the data print literally.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TextIO

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from foracli.content import Words, format_number, words
from foracli.core.model import (
    SECTIONS_BY_KEY,
    Procedure,
    Section,
    Source,
    end_sentence,
)
from foracli.core.query import (
    AnswerView,
    ComparisonView,
    Explanation,
    GlossaryView,
    ProcedureList,
    SearchResult,
    SourceList,
)
from foracli.core.search import highlight_spans
from foracli.render import PageRenderer, TerminalSettings
from foracli.render.common import (
    Citations,
    answer_card,
    nothing_lines,
    certainty_sentence,
    finding_phrase,
    source_line,
)

SECTION_STYLES = {
    "benefits": "green",
    "risks": "red",
    "red-flags": "bold red",
    "key-points": "magenta",
}


def make_console(file: TextIO, settings: TerminalSettings) -> Console:
    """A console that never interprets data as markup, emoji or highlights."""
    console = Console(
        file=file,
        force_terminal=settings.force_terminal,
        no_color=settings.no_color,
        color_system=None if settings.plain_styles else "auto",
        width=settings.width,
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=False,
    )
    if settings.force_terminal and console.color_system is None and not settings.plain_styles:
        # `--color always` under TERM=dumb: Rich detects no colours; insist on basic ones.
        console = Console(
            file=file,
            force_terminal=True,
            no_color=settings.no_color,
            color_system="standard",
            width=settings.width,
            markup=False,
            emoji=False,
            highlight=False,
        )
    return console


def _refs(ids: Iterable[str], citations: Citations) -> str:
    # No-break spaces keep "[1, 2, 3]" whole when a line wraps.
    return citations.bracket(ids).replace(" ", "\u00a0")


def _bullets(rows: Sequence[tuple[str, Text]]) -> Table:
    """A list with a hanging indent: wrapped lines line up under the text."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, justify="right")
    grid.add_column(overflow="fold")
    for mark, text in rows:
        grid.add_row(mark, text)
    return grid


def _point_text(label: str | None, text: str, sure: str, refs: str) -> Text:
    out = Text()
    if label:
        out.append(f"{label}: ", style="bold")
    out.append(text)
    if sure:
        out.append(f" {sure}", style="italic")
    if refs:
        out.append(f" {refs}", style="dim")
    return out


def render_explanation(view: Explanation, console: Console, w: Words) -> None:
    """Print one procedure page as a header and one panel per section."""
    citations = Citations.of(view.sources)
    proc = view.procedure
    parts: list[RenderableType] = [
        Panel(
            Group(
                Text(proc.name, style="bold cyan"),
                Text(proc.summary),
                *([Text(w.see_also(view.variants), style="dim")] if view.variants else []),
            ),
            box=box.HEAVY,
            border_style="cyan",
        )
    ]
    for section in view.sections:
        spec = SECTIONS_BY_KEY[section.key]
        style = SECTION_STYLES.get(section.key, "blue")
        if section.key == "recovery" and any(p.label for p in section.points):
            parts.append(
                Panel(
                    _timeline(section, citations, w),
                    title=Text(
                        f" {w.section_title(spec.key, proc.approach)} ", style=f"bold {style}"
                    ),
                    title_align="left",
                    border_style=style,
                    box=box.ROUNDED,
                )
            )
            continue
        rows = [
            (
                f"{n}." if spec.numbered else "•",
                _point_text(
                    point.label,
                    point.text,
                    certainty_sentence(point, w),
                    _refs(point.sources, citations),
                ),
            )
            for n, point in enumerate(section.points, start=1)
        ]
        parts.append(
            Panel(
                _bullets(rows),
                title=Text(f" {w.section_title(spec.key, proc.approach)} ", style=f"bold {style}"),
                title_align="left",
                border_style=style,
                box=box.ROUNDED,
            )
        )
    parts += _footer(view.sources, citations, [proc], w)
    _print(console, parts)


def _timeline(section: Section, citations: Citations, w: Words) -> Table:
    """Recovery as a timeline: one stop per time label, its points beside it."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", style="bold", no_wrap=True)
    grid.add_column(no_wrap=True, style="blue")
    grid.add_column(overflow="fold")
    previous = None
    for point in section.points:
        label = point.label or ""
        first = label != previous
        previous = label
        text = _point_text(
            None, point.text, certainty_sentence(point, w), _refs(point.sources, citations)
        )
        if first and grid.row_count:
            grid.add_row("", "│", "")
        grid.add_row(label if first else "", "●" if first else "│", text)
    return grid


def _bars(view: ComparisonView, width: int, w: Words) -> Table | None:
    """Numeric rows as horizontal bars on a scale shared by the procedures in each row."""
    rows = [r for r in view.rows if r.spec.unit and any(v and v.low is not None for v in r.values)]
    if not rows:
        return None
    name_width = min(max(len(p.name) for p in view.procedures), 28)
    bar_width = max(width - name_width - 24, 10)
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=False, overflow="fold", width=name_width)
    grid.add_column(overflow="fold", width=bar_width)  # bars fit exactly; scale titles fold
    grid.add_column(overflow="fold")
    colours = ["cyan", "magenta", "green", "yellow", "blue", "red"]
    for row in rows:
        top = max((v.high if v.high is not None else v.low) or 0 for v in row.values if v) or 1
        label = w.aspect_label(row.spec.key)
        scale = Text(
            w.text("scale", label=label, unit=row.spec.unit, top=format_number(top)), "bold"
        )
        if grid.row_count:
            grid.add_row("", "", "")
        grid.add_row(Text(""), scale, Text(""))
        for n, (proc, value) in enumerate(zip(view.procedures, row.values, strict=True)):
            bar = Text()
            if value is None or value.low is None:
                bar.append("·" * bar_width, style="dim")
                amount = Text(w.text("amount.no-good-data"), style="dim italic")
            else:
                high = value.high if value.high is not None else value.low
                start = min(round(value.low / top * bar_width), bar_width - 1)
                end = max(round(high / top * bar_width), start + 1)
                bar.append("─" * start, style="dim")
                bar.append("█" * (end - start), style=colours[n % len(colours)])
                bar.append("─" * (bar_width - end), style="dim")
                amount = Text(w.amount(value, with_text=False))
            grid.add_row(Text(proc.name), bar, amount)
    return grid


def render_comparison(
    view: ComparisonView, console: Console, *, bars: bool = True, w: Words
) -> None:
    """Print a comparison as a table, bars for the numbers, then head-to-head findings."""
    citations = Citations.of(view.sources)
    table = Table(
        title=Text(w.text("versus").join(p.name for p in view.procedures), style="bold cyan"),
        box=box.ROUNDED,
        show_lines=True,
        header_style="bold",
        expand=True,
    )
    table.add_column("", style="bold", overflow="fold", ratio=2)
    for proc in view.procedures:
        table.add_column(Text(proc.name), overflow="fold", ratio=3)
    for row in view.rows:
        label = Text(w.aspect_label(row.spec.key), style="bold")
        for match in row.head_to_head:
            verdict = finding_phrase(match.finding, match.subject, w)
            label.append(f"\n{w.text('label.head-to-head')}: {verdict}", style="italic yellow")
        cells: list[RenderableType] = [label]
        for value in row.values:
            if value is None:
                cells.append(Text(w.text("amount.no-good-data"), style="dim italic"))
                continue
            cell = Text(w.amount(value), style="bold")
            if value.note:
                cell.append(f"\n{value.note}")
            sure = certainty_sentence(value, w)
            if sure:
                cell.append(f" {sure}", style="italic")
            cell.append(f" {_refs(value.sources, citations)}", style="dim")
            cells.append(cell)
        table.add_row(*cells)
    parts: list[RenderableType] = [table]
    chart = _bars(view, console.width - 4, w) if bars else None
    if chart is not None:
        parts.append(
            Panel(
                chart,
                title=Text(f" {w.text('heading.at-a-glance')} ", style="bold cyan"),
                title_align="left",
                border_style="cyan",
                box=box.ROUNDED,
            )
        )
    findings = [(row, match) for row in view.rows for match in row.head_to_head]
    if findings:
        rows = []
        for row, match in findings:
            found = match.finding
            text = Text(f"{w.aspect_label(row.spec.key)}: ", style="bold")
            text.append(end_sentence(finding_phrase(found, match.subject, w)) + " ", style="yellow")
            text.append(found.text)
            sure = certainty_sentence(found, w)
            if sure:
                text.append(f" {sure}", style="italic")
            text.append(f" {_refs(found.sources, citations)}", style="dim")
            rows.append(("•", text))
        parts.append(
            Panel(
                _bullets(rows),
                title=Text(f" {w.text('heading.studies-found')} ", style="bold yellow"),
                title_align="left",
                border_style="yellow",
                box=box.ROUNDED,
            )
        )
    if view.evidence:
        parts.append(_evidence_table(view, citations, w))
    parts += _footer(view.sources, citations, view.procedures, w)
    _print(console, parts)


def _evidence_table(view: ComparisonView, citations: Citations, w: Words) -> Table:
    table = Table(
        title=Text(w.text("heading.evidence"), style="bold"),
        box=box.ROUNDED,
        expand=True,
        show_lines=True,
    )
    table.add_column(w.text("column.row"), style="bold", overflow="fold", ratio=1)
    table.add_column(w.text("column.study"), overflow="fold", ratio=4)
    for row in view.rows:
        for source in view.row_sources(row):
            study = Text(f"[{citations.numbers[source.id]}] ", style="dim")
            study.append(w.evidence_summary(source))
            table.add_row(Text(w.aspect_label(row.spec.key)), study)
    return table


def render_sources(view: SourceList, console: Console, w: Words) -> None:
    """Print a bibliography as a table: number, citation, kind of evidence."""
    title = (
        w.text("heading.sources-for", name=view.procedure.name)
        if view.procedure
        else w.text("heading.sources")
    )
    table = Table(title=Text(title, style="bold cyan"), box=box.ROUNDED, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column(w.text("column.source"), overflow="fold", ratio=3)
    table.add_column(w.text("column.evidence"), overflow="fold", ratio=1)
    for n, source in enumerate(view.sources, start=1):
        table.add_row(str(n), Text(w.citation(source)), Text(w.evidence_label(source)))
    console.print(table)


def _print(console: Console, parts: Sequence[RenderableType]) -> None:
    # One print per part: print(*parts) would join adjacent Text with spaces.
    for part in parts:
        console.print(part)


def _footer(
    sources: Sequence[Source], citations: Citations, procs: Iterable[Procedure], w: Words
) -> list[RenderableType]:
    rows = [(f"[{citations.numbers[s.id]}]", Text(source_line(s, w))) for s in sources]
    parts: list[RenderableType] = []
    if rows:
        parts.append(
            Panel(
                _bullets(rows),
                title=Text(f" {w.text('heading.sources')} ", style="bold"),
                title_align="left",
                border_style="dim",
                box=box.ROUNDED,
                style="dim",
            )
        )
    parts.append(Text(w.review(procs), style="dim"))
    parts.append(Text(f"{w.text('disclaimer')} {w.text('emergency')}", style="bold yellow"))
    return parts


def render_procedures(view: ProcedureList, console: Console, w: Words) -> None:
    """Print the procedures as a table."""
    table = Table(
        title=Text(w.text("heading.procedures"), style="bold cyan"), box=box.ROUNDED, expand=True
    )
    table.add_column(w.text("column.name"), style="bold", overflow="fold", ratio=2)
    table.add_column(w.text("column.id"), style="cyan", overflow="fold", ratio=2)
    table.add_column(w.text("column.what-it-is"), overflow="fold", ratio=5)
    for proc in view.procedures:
        table.add_row(Text(proc.name), Text(proc.id), Text(proc.summary))
    console.print(table)


def render_search(view: SearchResult, console: Console, w: Words) -> None:
    """Print hits as a table, matched words highlighted."""
    table = Table(
        title=Text(w.text("heading.search", query=view.query), style="bold cyan"),
        box=box.ROUNDED,
        expand=True,
    )
    table.add_column(w.text("column.where"), overflow="fold", ratio=2)
    table.add_column(w.text("column.sentence"), overflow="fold", ratio=5)
    for hit in view.hits:
        where = Text(hit.document.procedure, style="bold")
        where.append(f"\n{w.place(hit.document.section)}", style="dim")
        sentence = Text(hit.document.text)
        for start, end in highlight_spans(hit.document.text, hit.matched, w.language):
            sentence.stylize("bold yellow", start, end)
        table.add_row(where, sentence)
    console.print(table)


def render_glossary(view: GlossaryView, console: Console, w: Words) -> None:
    """Print terms as a table; one term as a panel with where it is used."""
    if view.single:
        (term,) = view.terms
        body = Text(term.definition)
        if term.aliases:
            body.append(f"\n{w.text('label.also-called')}: {', '.join(term.aliases)}", style="dim")
        for pid, section in view.used_in[term.key]:
            body.append(f"\n{w.text('label.used-in')}: {pid}, {w.place(section)}", style="dim")
        console.print(
            Panel(
                body,
                title=Text(f" {term.term} ", style="bold cyan"),
                title_align="left",
                box=box.ROUNDED,
                border_style="cyan",
            )
        )
        return
    table = Table(
        title=Text(w.text("heading.glossary"), style="bold cyan"), box=box.ROUNDED, expand=True
    )
    table.add_column(w.text("column.term"), style="bold", overflow="fold", ratio=1)
    table.add_column(w.text("column.meaning"), overflow="fold", ratio=3)
    for term in view.terms:
        table.add_row(Text(term.term), Text(term.definition))
    console.print(table)


def render_answer(view: AnswerView, console: Console, w: Words) -> None:
    """Print each answer as a panel (the command for more at its foot), then the sources."""
    heading = Text(w.text("heading.answer", question=view.question), style="bold cyan")
    if not view.answers:
        body = Text("\n".join(nothing_lines(view, w)))
        console.print(Panel(body, title=heading, title_align="left", box=box.ROUNDED))
        console.print(Text(w.text("disclaimer"), style="bold yellow"))
        return
    console.print(heading)
    citations = Citations.of(view.sources)
    for answer in view.answers:
        card = answer_card(answer, w)
        body = Text(card.text)
        if card.certainty:
            body.append(f" {card.certainty}", style="italic")
        refs = _refs(answer.sources, citations)
        if refs:
            body.append(f" {refs}", style="dim")
        console.print(
            Panel(
                body,
                title=Text(f" {card.title} ", style="bold"),
                title_align="left",
                subtitle=Text(f" {w.text('answer.more', command=card.more)} ", style="cyan")
                if card.more
                else None,
                subtitle_align="left",
                box=box.ROUNDED,
                border_style="cyan",
            )
        )
    if view.sources:
        rows = [(f"[{citations.numbers[s.id]}]", Text(source_line(s, w))) for s in view.sources]
        console.print(
            Panel(
                _bullets(rows),
                title=Text(f" {w.text('heading.sources')} ", style="bold"),
                title_align="left",
                border_style="dim",
                box=box.ROUNDED,
                style="dim",
            )
        )
    console.print(Text(f"{w.text('disclaimer')} {w.text('emergency')}", style="bold yellow"))


class TerminalRenderer(PageRenderer[Console]):
    """Renders every view (the type checker proves none is missed)."""

    def __init__(
        self,
        settings: TerminalSettings,
        *,
        locale: str = "en",
        bars: bool = True,
    ) -> None:
        self.settings = settings
        self.locale = locale
        self.words = words(locale)
        self.bars = bars

    def target(self, out: TextIO) -> Console:
        """A console on *out* that never interprets data as markup."""
        return make_console(out, self.settings)

    def explanation(self, view: Explanation, target: Console) -> None:
        """One procedure page."""
        render_explanation(view, target, self.words)

    def comparison(self, view: ComparisonView, target: Console) -> None:
        """Procedures side by side."""
        render_comparison(view, target, w=self.words, bars=self.bars)

    def procedures(self, view: ProcedureList, target: Console) -> None:
        """The list of procedures."""
        render_procedures(view, target, self.words)

    def search(self, view: SearchResult, target: Console) -> None:
        """Search hits."""
        render_search(view, target, self.words)

    def glossary(self, view: GlossaryView, target: Console) -> None:
        """Glossary terms."""
        render_glossary(view, target, self.words)

    def sources(self, view: SourceList, target: Console) -> None:
        """A bibliography."""
        render_sources(view, target, self.words)

    def answer(self, view: AnswerView, target: Console) -> None:
        """The answers to a question."""
        render_answer(view, target, self.words)
