"""Choosing how to print: format and colour from flags, environment and the TTY.

A pure function of its inputs, so every combination is testable without a terminal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


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


@dataclass(frozen=True)
class OutputPlan:
    """The renderer to use and, for Rich, how to drive the terminal."""

    format: Format
    terminal: TerminalSettings


def _set(env: Mapping[str, str], name: str) -> bool:
    # no-color.org and force-color.org: present and not empty.
    return bool(env.get(name, ""))


def plan_output(fmt: Format, color: Color, *, isatty: bool, env: Mapping[str, str]) -> OutputPlan:
    """Decide the format and colour handling.

    Precedence (clig.dev, no-color.org, force-color.org): the --color flag, then
    NO_COLOR, then FORCE_COLOR, then TERM=dumb, then whether stdout is a TTY.
    """
    dumb = env.get("TERM", "") == "dumb"
    if color is Color.NEVER:
        settings = TerminalSettings(plain_styles=True)
        styled = isatty and not dumb
    elif color is Color.ALWAYS:
        settings = TerminalSettings(force_terminal=True)
        styled = True
    elif _set(env, "NO_COLOR"):
        settings = TerminalSettings(no_color=True, plain_styles=dumb)
        styled = isatty and not dumb
    elif _set(env, "FORCE_COLOR"):
        settings = TerminalSettings(force_terminal=True)
        styled = True
    elif dumb:
        settings = TerminalSettings(plain_styles=True)
        styled = False
    else:
        settings = TerminalSettings()
        styled = isatty
    if fmt is Format.AUTO:
        fmt = Format.RICH if styled else Format.TEXT
    return OutputPlan(fmt, settings)
