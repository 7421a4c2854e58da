"""Renderers: one per output format, each behind the same protocol.

A renderer takes a view and a text stream and writes the view; it reads
neither files nor the environment. `page_renderer` picks one for a format and
imports it on demand, so each path pays only for the renderer it uses (Rich is
the terminal renderer's alone).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from enum import StrEnum

from foracli.content import Words, words
from foracli.core.about import About
from foracli.core.decide import Decision
from foracli.core.query import (
    AnswerView,
    ComparisonView,
    Explanation,
    GlossaryView,
    ProcedureList,
    SearchResult,
    SourceList,
    View,
)
from foracli.core.record import record

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs 2 ms of every start
if TYPE_CHECKING:
    from typing import Generic as _Generic
    from typing import Protocol, TextIO, TypeVar, assert_never

    V_contra = TypeVar("V_contra", contravariant=True)
    T = TypeVar("T")

    class Renderer(Protocol[V_contra]):
        """Writes a view of type V to a text stream."""

        def render(self, view: V_contra, out: TextIO) -> None:
            """Write *view* to *out*."""

    class StreamPages(Protocol):
        """A module of page functions writing to a text stream (plain, Markdown, JSON)."""

        def render_explanation(self, view: Explanation, out: TextIO, w: Words) -> None: ...
        def render_comparison(self, view: ComparisonView, out: TextIO, w: Words) -> None: ...
        def render_procedures(self, view: ProcedureList, out: TextIO, w: Words) -> None: ...
        def render_search(self, view: SearchResult, out: TextIO, w: Words) -> None: ...
        def render_glossary(self, view: GlossaryView, out: TextIO, w: Words) -> None: ...
        def render_sources(self, view: SourceList, out: TextIO, w: Words) -> None: ...
        def render_decision(self, view: Decision, out: TextIO, w: Words) -> None: ...
        def render_about(self, view: About, out: TextIO, w: Words) -> None: ...

        def render_answer(self, view: AnswerView, out: TextIO, w: Words) -> None: ...

else:
    T = None  # a type variable to type checkers only

    class _Generic:
        """typing.Generic's subscript, all a run needs of it."""

        def __class_getitem__(cls, _params: object) -> type:
            return cls

    def assert_never(value: object) -> None:
        raise AssertionError(f"no renderer method for {value!r}")


class PageRenderer(ABC, _Generic[T]):
    """A renderer of every page view onto a target of type T (a stream, a console).

    The one place a view is matched to its method: a subclass that leaves a view out
    cannot be instantiated, and a view added to `View` without a case here fails
    the type check at `assert_never`.
    """

    def render(self, view: View, out: TextIO) -> None:
        """Write *view* to *out*."""
        self.dispatch(view, self.target(out))

    @abstractmethod
    def target(self, out: TextIO) -> T:
        """What the view methods write to, for *out*."""

    def dispatch(self, view: View, target: T) -> None:
        """Call the method for *view*'s type."""
        match view:
            case Explanation():
                self.explanation(view, target)
            case ComparisonView():
                self.comparison(view, target)
            case ProcedureList():
                self.procedures(view, target)
            case SearchResult():
                self.search(view, target)
            case GlossaryView():
                self.glossary(view, target)
            case SourceList():
                self.sources(view, target)
            case Decision():
                self.decision(view, target)
            case About():
                self.about(view, target)

            case AnswerView():
                self.answer(view, target)
            case _:
                assert_never(view)

    @abstractmethod
    def explanation(self, view: Explanation, target: T) -> None:
        """One procedure page."""

    @abstractmethod
    def comparison(self, view: ComparisonView, target: T) -> None:
        """Procedures side by side."""

    @abstractmethod
    def procedures(self, view: ProcedureList, target: T) -> None:
        """The list of procedures."""

    @abstractmethod
    def search(self, view: SearchResult, target: T) -> None:
        """Search hits."""

    @abstractmethod
    def glossary(self, view: GlossaryView, target: T) -> None:
        """Glossary terms."""

    @abstractmethod
    def sources(self, view: SourceList, target: T) -> None:
        """A bibliography."""

    @abstractmethod
    def decision(self, view: Decision, target: T) -> None:
        """The decision aid: option grid, icon arrays, what matters, readiness."""

    @abstractmethod
    def about(self, view: About, target: T) -> None:
        """Who made this information, and how."""

    def answer(self, view: AnswerView, target: T) -> None:
        """The answers to a question."""


class StreamRenderer(PageRenderer["TextIO"]):
    """Renders every page view with the functions of one format's module."""

    def __init__(self, pages: StreamPages, *, locale: str = "en") -> None:
        self.pages = pages
        self.words = words(locale)

    def target(self, out: TextIO) -> TextIO:
        """The stream itself."""
        return out

    def explanation(self, view: Explanation, target: TextIO) -> None:
        """One procedure page."""
        self.pages.render_explanation(view, target, self.words)

    def comparison(self, view: ComparisonView, target: TextIO) -> None:
        """Procedures side by side."""
        self.pages.render_comparison(view, target, self.words)

    def procedures(self, view: ProcedureList, target: TextIO) -> None:
        """The list of procedures."""
        self.pages.render_procedures(view, target, self.words)

    def search(self, view: SearchResult, target: TextIO) -> None:
        """Search hits."""
        self.pages.render_search(view, target, self.words)

    def glossary(self, view: GlossaryView, target: TextIO) -> None:
        """Glossary terms."""
        self.pages.render_glossary(view, target, self.words)

    def sources(self, view: SourceList, target: TextIO) -> None:
        """A bibliography."""
        self.pages.render_sources(view, target, self.words)

    def decision(self, view: Decision, target: TextIO) -> None:
        """The decision aid."""
        self.pages.render_decision(view, target, self.words)

    def about(self, view: About, target: TextIO) -> None:
        """Who made this information, and how."""
        self.pages.render_about(view, target, self.words)

    def answer(self, view: AnswerView, target: TextIO) -> None:
        """The answers to a question."""
        self.pages.render_answer(view, target, self.words)


class Format(StrEnum):
    """Output formats accepted by `--format`."""

    AUTO = "auto"
    RICH = "rich"
    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"


class Color(StrEnum):
    """Colour modes accepted by `--color`."""

    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


@record
class TerminalSettings:
    """How the Rich console should treat the stream."""

    force_terminal: bool | None = None
    no_color: bool = False
    plain_styles: bool = False  # no escape codes at all
    width: int | None = None
    hyperlinks: bool = False  # OSC 8 links for sources (app.inputs.hyperlinks decides)


def page_renderer(
    fmt: Format,
    settings: TerminalSettings = TerminalSettings(),
    *,
    locale: str = "en",
    bars: bool = True,
) -> Renderer[View]:
    """The renderer for *fmt* (AUTO must be resolved first, see app.output)."""
    if fmt is Format.RICH:
        # Rich's bytes without importing Rich; it hands anything else to Rich itself.
        from foracli.render.fastterm import FastTerminalRenderer

        return FastTerminalRenderer(settings, locale=locale, bars=bars)
    module = {Format.JSON: "jsonout", Format.MARKDOWN: "markdown"}.get(fmt, "plain")
    # __import__, not importlib.import_module: the importlib package imports warnings.
    pages = __import__(f"foracli.render.{module}", fromlist=["_"])
    return StreamRenderer(pages, locale=locale)
