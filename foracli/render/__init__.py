"""Renderers: one per output format, each behind the same protocol.

A renderer takes a view and a text stream and writes the view; it reads
neither files nor the environment. `page_renderer` picks one for a format and
imports it on demand, so each path pays only for the renderer it uses (Rich is
the terminal renderer's alone).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol, TextIO, TypeVar

if TYPE_CHECKING:
    from foracli.core.query import View

V_contra = TypeVar("V_contra", contravariant=True)


class Renderer(Protocol[V_contra]):
    """Writes a view of type V to a text stream."""

    def render(self, view: V_contra, out: TextIO) -> None:
        """Write *view* to *out*."""


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


@dataclass(frozen=True)
class TerminalSettings:
    """How the Rich console should treat the stream."""

    force_terminal: bool | None = None
    no_color: bool = False
    plain_styles: bool = False  # no escape codes at all
    width: int | None = None


def page_renderer(
    fmt: Format,
    settings: TerminalSettings = TerminalSettings(),
    *,
    locale: str = "en",
    bars: bool = True,
    paged: bool = False,
) -> Renderer[View]:
    """The renderer for *fmt* (AUTO must be resolved first, see app.output)."""
    if fmt is Format.RICH:
        from foracli.render.terminal import TerminalRenderer

        return TerminalRenderer(settings, locale=locale, bars=bars, paged=paged)
    if fmt is Format.JSON:
        from foracli.render.jsonout import JsonRenderer

        return JsonRenderer(locale=locale)
    if fmt is Format.MARKDOWN:
        from foracli.render.markdown import MarkdownRenderer

        return MarkdownRenderer(locale=locale)
    from foracli.render.plain import PlainRenderer

    return PlainRenderer(locale=locale)
