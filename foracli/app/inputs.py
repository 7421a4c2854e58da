"""The inputs that change what foracli writes, declared once.

The output plan (app.output) and the replay cache's key (speed) both read these,
so a new variable or rule cannot reach one and miss the other. Standard library
only and no imports at all: the replay path runs this on every start.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from collections.abc import Mapping

# Every environment variable that can change the bytes written: the colour rules
# below, and what Rich, Click and Typer read for width, colour and help layout.
OUTPUT_ENVIRONMENT = (
    "NO_COLOR",
    "FORCE_COLOR",
    "TERM",
    "COLORTERM",
    "COLUMNS",
    "LINES",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "TERMINAL_WIDTH",
    "PY_COLORS",
    "GITHUB_ACTIONS",
    "TYPER_USE_RICH",
    "_TYPER_FORCE_DISABLE_TERMINAL",
)


def _set(env: Mapping[str, str], name: str) -> bool:
    # no-color.org and force-color.org: present and not empty.
    return bool(env.get(name, ""))


def decide(
    fmt: str, color: str, *, isatty: bool, env: Mapping[str, str]
) -> tuple[str, bool | None, bool, bool]:
    """(format, force_terminal, no_color, plain_styles) for the flags, environment and TTY.

    Precedence (clig.dev, no-color.org, force-color.org): the --color flag, then
    NO_COLOR, then FORCE_COLOR, then TERM=dumb, then whether stdout is a TTY.
    *fmt* "auto" becomes "rich" when styled output suits the stream, else "text".
    """
    dumb = env.get("TERM", "") == "dumb"
    force: bool | None = None
    no_color = plain = False
    if color == "never":
        plain, styled = True, isatty and not dumb
    elif color == "always":
        force, styled = True, True
    elif _set(env, "NO_COLOR"):
        no_color, plain, styled = True, dumb, isatty and not dumb
    elif _set(env, "FORCE_COLOR"):
        force, styled = True, True
    elif dumb:
        plain, styled = True, False
    else:
        styled = isatty
    if fmt == "auto":
        fmt = "rich" if styled else "text"
    return fmt, force, no_color, plain
