"""Rich panels and tables for a terminal. The only module that imports Rich.

Every piece of knowledge-base text goes in as a `Text` object, never as a
markup string, so `[bold]` or `:pill:` in the data print literally.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TextIO

from rich import box
from rich.columns import Columns
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.style import Style
from rich.table import Table
from rich.text import Text

from foracli.content import Words, format_number, words
from foracli.core.about import About
from foracli.core.decide import THREE_QUESTIONS, Decision, Icons
from foracli.core.layout import Laid
from foracli.core.model import (
    SECTIONS_BY_KEY,
    Procedure,
    Source,
    end_sentence,
)
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
from foracli.render import PageRenderer, TerminalSettings, decision
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

READING_WIDTH = 100  # lines longer than this are hard to read; wider terminals get margins
STACK_BELOW = 90  # narrower than this, compare stacks one block per procedure

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
    if console.width > READING_WIDTH:
        console.width = READING_WIDTH
    return console


def _refs(ids: Iterable[str], citations: Citations) -> str:
    """'[1,2,3] [7,9]': no space inside a bracket, as Rich wraps at any whitespace (no-break
    spaces too) and '[1,' / '3]' reads as two citations; long lists in brackets of three,
    so a narrow column breaks between brackets, never inside one."""
    marks = [str(n) for n in citations.marks(ids)]
    return " ".join(f"[{','.join(marks[i : i + 3])}]" for i in range(0, len(marks), 3))


def _bullets(rows: Sequence[tuple[str, Text]]) -> Table:
    """A list with a hanging indent: wrapped lines line up under the text."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, justify="right")
    grid.add_column(overflow="fold")
    for bullet, text in rows:
        grid.add_row(bullet, text)
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


def _section_body(laid: Laid, citations: Citations, w: Words) -> RenderableType:
    """A section's points: the shared certainty once, region headings, labels once."""
    parts: list[RenderableType] = []
    if laid.certainty is not None:
        parts.append(Text(section_certainty(laid, w), style="italic"))
    numbered = SECTIONS_BY_KEY[laid.key].numbered
    for block in laid.blocks:
        if laid.split and block.region is not None:
            if parts:
                parts.append(Text(""))
            parts.append(Text(w.region(block.region), style="bold underline"))
        n = 0
        rows: list[tuple[str, Text]] = []
        for group in block.groups:
            if group.label:
                if rows:
                    parts.append(_bullets(rows))
                    rows = []
                parts.append(Text(group.label, style="bold"))
            for point in group.points:
                n += 1
                text = _point_text(
                    shown_label(point, laid, w),
                    point_text(point, w),
                    mark(point, laid, w),
                    _refs(point.sources, citations),
                )
                rows.append((f"{n}." if numbered else "•", text))
            if group.label:
                parts.append(Padding(_bullets(rows), (0, 0, 0, 2)))
                rows = []
        if rows:
            parts.append(_bullets(rows))
    return Group(*parts)


def _cited(text: str, source: Source, links: bool) -> Text:
    """*text* about *source*; with *links*, clickable (OSC 8) to its DOI, PubMed or page."""
    target = source_link(source) if links else None
    return Text(text, style=Style(link=target)) if target else Text(text)


def render_explanation(
    view: Explanation, console: Console, w: Words, *, links: bool = False
) -> None:
    """Print one procedure page: a header, then one panel per section, key points first."""
    if view.brief:
        _print(console, _brief(view, w))
        return
    citations = Citations.of(view.sources)
    proc = view.procedure
    laid = [laid_out(view, section) for section in view.sections]
    header: list[RenderableType] = [Text(proc.name, style="bold cyan"), Text(proc.summary)]
    if view.complete and view.variants:
        header.append(Text(w.see_also(view.variants), style="dim"))
    if needs_legend(laid):
        header.append(Text(w.text("certainty.legend"), style="dim italic"))
    parts: list[RenderableType] = [Panel(Group(*header), box=box.HEAVY, border_style="cyan")]
    for section, shown in zip(view.sections, laid, strict=True):
        style = SECTION_STYLES.get(section.key, "blue")
        body = (
            _timeline(shown, citations, w)
            if section.key == "recovery" and any(p.label for p in section.points)
            else _section_body(shown, citations, w)
        )
        parts.append(_panel(body, w.section_title(section.key, proc.approach), style))
        if section.key == "key-points" and view.glance:
            parts.append(_panel(_figures(view, w), w.text("heading.figures"), "cyan"))
    parts += _footer(view.sources, citations, [proc], w, links=links)
    _print(console, parts)


def _brief(view: Explanation, w: Words) -> list[RenderableType]:
    """The one-screen version: headings instead of boxes, one line a figure."""
    proc = view.procedure
    citations = Citations.of(view.sources)
    parts: list[RenderableType] = [Text(proc.name, style="bold cyan"), Text(proc.summary)]
    for section in view.sections:
        style = SECTION_STYLES.get(section.key, "blue")
        title = w.section_title(section.key, proc.approach)
        # No blank lines between sections: the coloured headings part them, and the
        # whole brief has to fit one screen.
        parts += [Text(title, style=f"bold {style} underline")]
        parts.append(_section_body(laid_out(view, section), citations, w))
        if section.key == "key-points" and view.glance:
            parts += [Text(w.text("heading.figures"), style="bold cyan underline")]
            parts.append(_figures(view, w))
    parts += [
        Text(""),
        Text(w.text("brief.more", id=proc.id), style="dim"),
        Text(w.review([proc]), style="dim"),
        Text(w.text("disclaimer"), style="bold yellow"),
    ]
    return parts


def _panel(body: RenderableType, title: str, style: str) -> Panel:
    return Panel(
        body,
        title=Text(f" {title} ", style=f"bold {style}"),
        title_align="left",
        border_style=style,
        box=box.ROUNDED,
    )


def _figures(view: Explanation, w: Words) -> Table:
    """The page's own figures, each with what it measured (the brief's at a glance)."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for value in view.glance:
        grid.add_row(
            Text(w.aspect_label(value.key)), Text(cell_amount(value, view, w, with_text=False))
        )
    return grid


def _timeline(laid: Laid, citations: Citations, w: Words) -> RenderableType:
    """Recovery as a timeline: one stop per time label, its points beside it."""
    parts: list[RenderableType] = []
    if laid.certainty is not None:
        parts.append(Text(section_certainty(laid, w), style="italic"))
    for block in laid.blocks:
        if laid.split and block.region is not None:
            parts.append(Text(w.region(block.region), style="bold underline"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(justify="right", style="bold", no_wrap=True)
        grid.add_column(no_wrap=True, style="blue")
        grid.add_column(overflow="fold")
        for group in block.groups:
            for n, point in enumerate(group.points):
                label = group.label or point.label or ""
                text = _point_text(
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
    return Group(*parts)


def _bars(view: ComparisonView, width: int, w: Words) -> Group | None:
    """Numeric rows as bars on a scale shared by the procedures in each row, drawn only
    when the figures measured the same thing; otherwise the row says why not."""
    rows = [r for r in view.rows if r.spec.unit and any(v and v.low is not None for v in r.values)]
    if not rows:
        return None
    name_width = min(max(len(p.name) for p in view.procedures), 24)
    bar_width = max(width - name_width - 24, 10)
    colours = ["cyan", "magenta", "green", "yellow", "blue", "red"]
    parts: list[RenderableType] = []
    for row in rows:
        label = row_label(row, w)
        if parts:
            parts.append(Text(""))
        if not row.bar.comparable:
            line = Text(f"{label}: ", style="bold")
            line.append(bar_reason(row, w), style="italic")
            parts.append(line)
            continue
        top = max((v.high if v.high is not None else v.low) or 0 for v in row.values if v) or 1
        key = "scale.basis" if row.bar.basis else "scale"
        scale = w.text(
            key, label=label, unit=row.spec.unit, top=format_number(top), basis=row.bar.basis
        )
        parts.append(Text(scale, "bold"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=False, overflow="fold", width=name_width)
        grid.add_column(no_wrap=True, width=bar_width)
        grid.add_column(overflow="fold")
        for n, (proc, value) in enumerate(zip(view.procedures, row.values, strict=True)):
            bar = Text()
            if value is None or value.low is None:
                bar.append("·" * bar_width, style="dim")
                amount = Text(missing_value(row, n, w), style="dim italic")
            else:
                high = value.high if value.high is not None else value.low
                start = min(round(value.low / top * bar_width), bar_width - 1)
                end = max(round(high / top * bar_width), start + 1)
                bar.append("─" * start, style="dim")
                bar.append("█" * (end - start), style=colours[n % len(colours)])
                bar.append("─" * (bar_width - end), style="dim")
                amount = Text(w.amount(value, with_text=False))
            grid.add_row(Text(proc.name), bar, amount)
        parts.append(grid)
    return Group(*parts)


def _value_cell(
    view: ComparisonView, row: Row, column: int, citations: Citations, w: Words
) -> Text:
    value = row.values[column]
    if value is None:
        return Text(missing_value(row, column, w), style="dim italic")
    cell = Text(cell_amount(value, view, w), style="bold")
    if value.note:
        cell.append(f"\n{value.note}")
    if value.certainty:
        cell.append(f" {w.certainty_mark(value.certainty)}", style="italic")
    refs = _refs(value.sources, citations)
    if refs:
        cell.append(f" {refs}", style="dim")
    return cell


def render_comparison(
    view: ComparisonView, console: Console, *, bars: bool = True, w: Words, links: bool = False
) -> None:
    """Print a comparison: at a glance first, then a table (stacked blocks on a narrow
    terminal), then what head-to-head studies found."""
    citations = Citations.of(view.sources)
    title = Text(w.text("versus").join(p.name for p in view.procedures), style="bold cyan")
    parts: list[RenderableType] = [title]
    chart = _bars(view, console.width - 4, w) if bars else None
    if chart is not None:
        parts.append(_panel(chart, w.text("heading.at-a-glance"), "cyan"))
    if any(v and v.certainty for r in view.rows for v in r.values):
        parts.append(Text(w.text("certainty.legend"), style="dim italic"))
    if console.width < STACK_BELOW:
        for column, proc in enumerate(view.procedures):
            rows = [
                (row_label(row, w), _value_cell(view, row, column, citations, w))
                for row in view.rows
            ]
            grid = Table.grid(padding=(0, 1))
            grid.add_column(style="bold", overflow="fold", ratio=1)
            grid.add_column(overflow="fold", ratio=3)
            for label, cell in rows:
                grid.add_row(Text(label), cell)
            parts.append(_panel(grid, proc.name, "blue"))
    else:
        table = Table(box=box.ROUNDED, show_lines=True, header_style="bold", expand=True)
        table.add_column("", style="bold", overflow="fold", ratio=2)
        for proc in view.procedures:
            table.add_column(Text(proc.name), overflow="fold", ratio=3)
        for row in view.rows:
            cells: list[RenderableType] = [Text(row_label(row, w), style="bold")]
            cells += [_value_cell(view, row, n, citations, w) for n in range(len(view.procedures))]
            table.add_row(*cells)
        parts.append(table)
    findings = [(row, match) for row in view.rows for match in row.head_to_head]
    if findings:
        items = []
        for row, match in findings:
            found = match.finding
            text = Text(f"{row_label(row, w)}, ", style="bold")
            text.append(f"{pair_label(match, w)}: ", style="bold")
            text.append(end_sentence(finding_phrase(found, match.subject, w)) + " ", style="yellow")
            text.append(found.text)
            if found.certainty:
                text.append(f" {w.certainty_mark(found.certainty)}", style="italic")
            refs = _refs(found.sources, citations)
            if refs:
                text.append(f" {refs}", style="dim")
            items.append(("•", text))
        parts.append(_panel(_bullets(items), w.text("heading.studies-found"), "yellow"))
    if view.evidence:
        parts.append(_evidence_table(view, citations, w))
    parts += _footer(view.sources, citations, view.procedures, w, links=links)
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
            table.add_row(Text(row_label(row, w)), study)
    return table


def render_sources(view: SourceList, console: Console, w: Words, *, links: bool = False) -> None:
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
        table.add_row(
            str(n), _cited(w.citation(source), source, links), Text(w.evidence_label(source))
        )
    console.print(table)


def _print(console: Console, parts: Sequence[RenderableType]) -> None:
    # One print per part: print(*parts) would join adjacent Text with spaces.
    for part in parts:
        console.print(part)


def _sources_panel(
    sources: Sequence[Source], citations: Citations, w: Words, *, links: bool = False
) -> Panel:
    """The numbered sources under a page or an answer, in small, dim print."""
    rows = [(f"[{citations.numbers[s.id]}]", _cited(source_line(s, w), s, links)) for s in sources]
    return Panel(
        _bullets(rows),
        title=Text(f" {w.text('heading.sources')} ", style="bold"),
        title_align="left",
        border_style="dim",
        box=box.ROUNDED,
        style="dim",
    )


def _footer(
    sources: Sequence[Source],
    citations: Citations,
    procs: Iterable[Procedure],
    w: Words,
    *,
    links: bool = False,
) -> list[RenderableType]:
    parts: list[RenderableType] = []
    if sources:
        parts.append(_sources_panel(sources, citations, w, links=links))
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
    """Print hits best first: where each is on one line (an id never breaks), the
    matched words highlighted in the text below it."""
    parts: list[RenderableType] = []
    for hit in view.hits:
        if parts:
            parts.append(Text(""))
        where = Text(hit.document.procedure, style="bold")
        where.append(f" · {w.place(hit.document.section)}", style="dim")
        sentence = Text(hit.document.text)
        for start, end in highlight_spans(hit.document.text, hit.matched, w.language):
            sentence.stylize("bold yellow", start, end)
        parts += [where, Padding(sentence, (0, 0, 0, 2))]
    console.print(_panel(Group(*parts), w.text("heading.search", query=view.query), "cyan"))


def render_glossary(view: GlossaryView, console: Console, w: Words) -> None:
    """Print terms as a table; one term as a panel with where it is used."""
    if view.single:
        (term,) = view.terms
        body = Text(term.definition)
        if term.aliases:
            body.append(f"\n{w.text('label.also-called')}: {', '.join(term.aliases)}", style="dim")
        for pid, section in view.used_in[term.key]:
            place = w.place(section, view.approaches.get(pid))
            body.append(f"\n{w.text('label.used-in')}: {pid}, {place}", style="dim")
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


def _cell_text(found: decision.Cell, citations: Citations) -> Text:
    text = Text(found.text)
    if found.sure:
        text.append(f" {found.sure}", style="italic")
    refs = _refs(found.sources, citations)
    if refs:
        text.append(f" {refs}", style="dim")
    return text


def _option_table(view: Decision, first: str) -> Table:
    table = Table(box=box.ROUNDED, show_lines=True, header_style="bold", expand=True)
    table.add_column(Text(first), style="bold", overflow="fold", ratio=2)
    for proc in view.options:
        table.add_column(Text(decision.short_name(proc)), overflow="fold", ratio=3)
    return table


def _icon_array(icons: Icons, ascii_only: bool, w: Words) -> Group:
    from foracli.render.icons import icon_rows

    styles = {"#": "bold blue", "●": "bold blue", "+": "cyan", "◐": "cyan"}
    lines = []
    for row in icon_rows(icons.low, icons.high, ascii_only=ascii_only):
        line = Text()
        for char in row:
            line.append(char, style=styles.get(char, "dim"))
        lines.append(line)
    return Group(*lines, Text(decision.icon_caption(icons, w), style="bold"))


def render_decision(view: Decision, console: Console, w: Words, *, ascii_only: bool) -> None:
    """Print the decision aid: the option grid, risks as icon arrays, what matters to
    the person side by side, the SURE test and the questions to ask."""
    citations = Citations.of(view.grid.sources)
    names = ", ".join(decision.short_name(p) for p in view.options)
    parts: list[RenderableType] = [
        Text(w.text("decide.title", options=names), style="bold cyan"),
        Text(w.text("decide.intro")),
        Text(w.text("decide.legend"), style="dim italic"),
    ]
    grid = _option_table(view, w.text("decide.heading.grid"))
    reasons = []
    for row in view.grid.rows:
        cells = [decision.cell(view, row, n, w) for n in range(len(view.options))]
        grid.add_row(
            Text(decision.row_question(view, row, w)), *(_cell_text(c, citations) for c in cells)
        )
        if reason := decision.why_not(row, w, view):
            reasons.append(("•", Text(reason, style="italic")))
    parts.append(grid)
    if reasons:
        parts.append(_bullets(reasons))
    if view.icons:
        arrays = [_icon_array(i, ascii_only, w) for i in view.icons]
        body = Group(
            Text(w.text("decide.icons.legend"), style="dim italic"),
            Columns(arrays, width=21, padding=(1, 2)),
        )
        parts.append(_panel(body, w.text("decide.heading.icons"), "cyan"))
    if view.matters:
        table = _option_table(view, w.text("decide.heading.matters"))
        for matter in view.matters:
            cells = [decision.matter_cell(view, matter, n, w) for n in range(len(view.options))]
            table.add_row(
                Text(decision.factor_line(matter, w)), *(_cell_text(c, citations) for c in cells)
            )
        parts.append(table)
    else:
        parts.append(Text(w.text("decide.matters.none"), style="italic"))
    ready = [(f"{a or '·'}", Text(q)) for q, a in decision.sure_lines(view, w)]
    asks = [
        (f"{n}.", Text(w.text(f"decide.ask.{key}"))) for n, key in enumerate(THREE_QUESTIONS, 1)
    ]
    body_parts: list[RenderableType] = [_bullets(ready)]
    body_parts += [Text(t, style="italic") for t in decision.sure_verdict(view, w)]
    body_parts += [Text(""), Text(w.text("decide.heading.ask"), style="bold"), _bullets(asks)]
    if view.answers.questions:
        own = [("•", Text(q)) for q in view.answers.questions]
        body_parts += [Text(w.text("decide.heading.own"), style="bold"), _bullets(own)]
    body_parts.append(Text(w.text("decide.sure.source"), style="dim"))
    parts.append(_panel(Group(*body_parts), w.text("decide.heading.ready"), "magenta"))
    parts += _footer(view.grid.sources, citations, view.options, w)
    parts += [
        Text(w.text("about.footer"), style="dim"),
        Text(w.text("decide.private"), style="dim"),
    ]
    _print(console, parts)


def render_about(view: About, console: Console, w: Words) -> None:
    """Print the about statement as one panel."""
    parts: list[RenderableType] = []
    for heading, text in decision.about_parts(view, w):
        parts += [Text(heading, style="bold"), Text(text), Text("")]
    parts.append(Text(f"{w.text('disclaimer')} {w.text('emergency')}", style="bold yellow"))
    console.print(_panel(Group(*parts), w.text("about.title"), "cyan"))


def ask(console: Console, prompt: str, choices: Sequence[str], stream: TextIO) -> str:
    """One answer typed at a Rich prompt: one of *choices* (the prompt repeats until it is)."""
    from rich.prompt import Prompt

    return Prompt.ask(
        Text(prompt, style="bold"), console=console, choices=list(choices), stream=stream
    )


def ask_text(console: Console, prompt: str, stream: TextIO) -> str:
    """Free text typed at a Rich prompt ('' when the person just presses Enter)."""
    from rich.prompt import Prompt

    return Prompt.ask(
        Text(prompt, style="bold"), console=console, default="", show_default=False, stream=stream
    )


def say(console: Console, text: str, style: str = "") -> None:
    """One line of the walk's own words."""
    console.print(Text(text, style=style))


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
        console.print(_sources_panel(view.sources, citations, w))
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
        render_explanation(view, target, self.words, links=self.settings.hyperlinks)

    def comparison(self, view: ComparisonView, target: Console) -> None:
        """Procedures side by side."""
        render_comparison(
            view, target, w=self.words, bars=self.bars, links=self.settings.hyperlinks
        )

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
        render_sources(view, target, self.words, links=self.settings.hyperlinks)

    def decision(self, view: Decision, target: Console) -> None:
        """The decision aid."""
        ascii_only = self.settings.plain_styles or not target.encoding.lower().startswith("utf")
        render_decision(view, target, self.words, ascii_only=ascii_only)

    def about(self, view: About, target: Console) -> None:
        """Who made this information, and how."""
        render_about(view, target, self.words)

    def answer(self, view: AnswerView, target: Console) -> None:
        """The answers to a question."""
        render_answer(view, target, self.words)
