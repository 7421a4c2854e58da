"""Choosing how to print: format and colour from flags, environment and the TTY.

A pure function of its inputs, so every combination is testable without a terminal.
"""

from __future__ import annotations

from collections.abc import Mapping

from foracli.app.inputs import decide, hyperlinks
from foracli.core.record import record
from foracli.render import Color, Format, TerminalSettings


@record
class OutputPlan:
    """The renderer to use and, for Rich, how to drive the terminal."""

    format: Format
    terminal: TerminalSettings


def plan_output(fmt: Format, color: Color, *, isatty: bool, env: Mapping[str, str]) -> OutputPlan:
    """Decide the format and colour handling (the rules live in app.inputs.decide)."""
    chosen, force, no_color, plain = decide(fmt.value, color.value, isatty=isatty, env=env)
    links = hyperlinks(color.value, isatty=isatty, env=env)
    settings = TerminalSettings(
        force_terminal=force, no_color=no_color, plain_styles=plain, hyperlinks=links
    )
    return OutputPlan(Format(chosen), settings)
