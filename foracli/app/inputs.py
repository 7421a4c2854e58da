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
    # Whether the terminal shows OSC 8 links (hyperlinks below).
    "FORCE_HYPERLINK",
    "TERM_PROGRAM",
    "VTE_VERSION",
    "KONSOLE_VERSION",
    "WT_SESSION",
    "KITTY_WINDOW_ID",
    "DOMTERM",
)

# Terminals known to show OSC 8 links: TERM_PROGRAM values and TERM values. Others
# get no links (an unknown terminal may print the escape's text), unless FORCE_HYPERLINK=1.
_LINKING_PROGRAMS = frozenset({"iTerm.app", "WezTerm", "vscode", "ghostty", "Hyper", "Tabby"})
_LINKING_TERMS = frozenset({"xterm-kitty", "xterm-ghostty", "wezterm", "foot", "alacritty"})
_LINKING_MARKS = ("KONSOLE_VERSION", "WT_SESSION", "KITTY_WINDOW_ID", "DOMTERM")


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


def hyperlinks(color: str, *, isatty: bool, env: Mapping[str, str]) -> bool:
    """Whether Rich output may carry OSC 8 links: only on a terminal (never into a
    pipe, whatever forces colour), never with --color never, NO_COLOR or TERM=dumb;
    FORCE_HYPERLINK=1 or 0 decides, else a terminal known to show them."""
    if not isatty or color == "never" or _set(env, "NO_COLOR") or env.get("TERM") == "dumb":
        return False
    forced = env.get("FORCE_HYPERLINK", "")
    if forced:
        return forced != "0"
    if env.get("TERM_PROGRAM", "") in _LINKING_PROGRAMS:
        return True
    if env.get("TERM", "") in _LINKING_TERMS or any(env.get(m) for m in _LINKING_MARKS):
        return True
    vte = env.get("VTE_VERSION", "")
    return vte.isdigit() and int(vte) >= 5000  # GNOME Terminal and other VTE terminals
