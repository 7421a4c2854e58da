"""Rich panels and tables for a terminal. The only module that imports Rich.

Every piece of knowledge-base text goes in as a `Text` object, never as a
markup string, so `[bold]` or `:pill:` in the data print literally.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO, cast

from rich import box
from rich.columns import Columns
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.style import Style
from rich.table import Table
from rich.text import Text

from foracli.content import Words, words
from foracli.core.about import About
from foracli.core.decide import THREE_QUESTIONS, Decision, Icons
from foracli.core.query import (
    AnswerView,
    ComparisonView,
    Explanation,
    GlossaryView,
    ProcedureList,
    SearchResult,
    SourceList,
)
from foracli.render import PageRenderer, TerminalSettings, decision, termpages
from foracli.render.common import Citations
from foracli.render.termpages import READING_WIDTH, _refs

if TYPE_CHECKING:
    from foracli.render.termpages import Kit


class _RichKit:
    """Rich's classes under the names the shared pages use (`render.termpages`)."""

    Text = Text
    Table = Table
    Panel = Panel
    Padding = Padding
    Group = Group
    ROUNDED = box.ROUNDED
    HEAVY = box.HEAVY

    @staticmethod
    def link(target: str) -> Style:
        """A style making text a clickable (OSC 8) link to *target*."""
        return Style(link=target)


RICH = cast("Kit", _RichKit)
# The decision aid mixes Rich's own classes (Columns) with the shared helpers.
_shared: Any = termpages


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


def _print(console: Console, parts: Sequence[object]) -> None:
    # One print per part: print(*parts) would join adjacent Text with spaces.
    for part in parts:
        console.print(part)


def render_explanation(
    view: Explanation, console: Console, w: Words, *, links: bool = False
) -> None:
    """Print one procedure page: a header, then one panel per section, key points first."""
    _print(console, termpages.explanation_parts(RICH, view, w, links=links))


def render_comparison(
    view: ComparisonView, console: Console, *, bars: bool = True, w: Words, links: bool = False
) -> None:
    """Print a comparison: at a glance first, then a table (stacked blocks on a narrow
    terminal), then what head-to-head studies found."""
    parts = termpages.comparison_parts(RICH, view, console.width, bars=bars, w=w, links=links)
    _print(console, parts)


def render_sources(view: SourceList, console: Console, w: Words, *, links: bool = False) -> None:
    """Print a bibliography as a table: number, citation, kind of evidence."""
    _print(console, termpages.sources_parts(RICH, view, w, links=links))


def render_procedures(view: ProcedureList, console: Console, w: Words) -> None:
    """Print the procedures as a table."""
    _print(console, termpages.procedures_parts(RICH, view, w))


def render_search(view: SearchResult, console: Console, w: Words) -> None:
    """Print hits best first, the matched words highlighted."""
    _print(console, termpages.search_parts(RICH, view, w))


def render_glossary(view: GlossaryView, console: Console, w: Words) -> None:
    """Print terms as a table; one term as a panel with where it is used."""
    _print(console, termpages.glossary_parts(RICH, view, w))


def render_answer(view: AnswerView, console: Console, w: Words) -> None:
    """Print each answer as a panel (the command for more at its foot), then the sources."""
    _print(console, termpages.answer_parts(RICH, view, w))


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
        parts.append(_shared._bullets(RICH, reasons))
    if view.icons:
        arrays = [_icon_array(i, ascii_only, w) for i in view.icons]
        body = Group(
            Text(w.text("decide.icons.legend"), style="dim italic"),
            Columns(arrays, width=21, padding=(1, 2)),
        )
        parts.append(_shared._panel(RICH, body, w.text("decide.heading.icons"), "cyan"))
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
    body_parts: list[RenderableType] = [_shared._bullets(RICH, ready)]
    body_parts += [Text(t, style="italic") for t in decision.sure_verdict(view, w)]
    body_parts += [
        Text(""),
        Text(w.text("decide.heading.ask"), style="bold"),
        _shared._bullets(RICH, asks),
    ]
    if view.answers.questions:
        own = [("•", Text(q)) for q in view.answers.questions]
        body_parts += [
            Text(w.text("decide.heading.own"), style="bold"),
            _shared._bullets(RICH, own),
        ]
    body_parts.append(Text(w.text("decide.sure.source"), style="dim"))
    parts.append(
        _shared._panel(RICH, Group(*body_parts), w.text("decide.heading.ready"), "magenta")
    )
    parts += _shared._footer(
        RICH, view.grid.sources, citations, view.options, w, region=view.grid.region
    )
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
    parts.append(Text(f"{w.text('disclaimer')} {w.emergency()}", style="bold yellow"))
    console.print(_shared._panel(RICH, Group(*parts), w.text("about.title"), "cyan"))


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
