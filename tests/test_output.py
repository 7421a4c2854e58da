"""Choosing format and colour from flags, environment and the TTY."""

from __future__ import annotations

import pytest

from foracli.app.output import Color, Format, OutputPlan, TerminalSettings, plan_output

PLAIN = TerminalSettings(plain_styles=True)
FORCED = TerminalSettings(force_terminal=True)
DEFAULT = TerminalSettings()
NO_COLOUR = TerminalSettings(no_color=True)


@pytest.mark.parametrize(
    ("color", "isatty", "env", "expected"),
    [
        (Color.AUTO, True, {}, OutputPlan(Format.RICH, DEFAULT)),
        (Color.AUTO, False, {}, OutputPlan(Format.TEXT, DEFAULT)),
        (
            Color.AUTO,
            True,
            {"NO_COLOR": "1"},
            OutputPlan(Format.RICH, TerminalSettings(no_color=True)),
        ),
        (Color.AUTO, True, {"NO_COLOR": ""}, OutputPlan(Format.RICH, DEFAULT)),
        (Color.AUTO, False, {"FORCE_COLOR": "1"}, OutputPlan(Format.RICH, FORCED)),
        (Color.AUTO, False, {"FORCE_COLOR": "0"}, OutputPlan(Format.RICH, FORCED)),
        (Color.AUTO, False, {"FORCE_COLOR": ""}, OutputPlan(Format.TEXT, DEFAULT)),
        (
            Color.AUTO,
            False,
            {"FORCE_COLOR": "1", "NO_COLOR": "1"},
            OutputPlan(Format.TEXT, NO_COLOUR),
        ),
        (Color.AUTO, True, {"TERM": "dumb"}, OutputPlan(Format.TEXT, PLAIN)),
        (Color.AUTO, True, {"TERM": "dumb", "FORCE_COLOR": "1"}, OutputPlan(Format.RICH, FORCED)),
        (Color.NEVER, True, {"FORCE_COLOR": "1"}, OutputPlan(Format.RICH, PLAIN)),
        (Color.NEVER, False, {}, OutputPlan(Format.TEXT, PLAIN)),
        (Color.ALWAYS, False, {"NO_COLOR": "1"}, OutputPlan(Format.RICH, FORCED)),
        (Color.ALWAYS, True, {"TERM": "dumb"}, OutputPlan(Format.RICH, FORCED)),
    ],
)
def test_auto_format_and_colour_precedence(color, isatty, env, expected):
    """Flag beats NO_COLOR beats FORCE_COLOR beats TERM=dumb beats the TTY check."""
    assert plan_output(Format.AUTO, color, isatty=isatty, env=env) == expected


@pytest.mark.parametrize("fmt", [Format.TEXT, Format.MARKDOWN, Format.JSON, Format.RICH])
def test_explicit_format_is_kept(fmt):
    """An explicit --format is never overridden by the terminal check."""
    assert plan_output(fmt, Color.AUTO, isatty=True, env={}).format is fmt
    assert plan_output(fmt, Color.AUTO, isatty=False, env={}).format is fmt
