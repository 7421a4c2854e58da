"""The manual page, foracli(1), written from the Typer app at build time.

The wheel's build hook (hatch_build.py) calls `render()` and ships the result as
share/man/man1/foracli.1, where `man` finds it next to the `foracli` command in a
virtual environment or a tool install. Every command, argument and option comes
from the same `Page`s as the `--help` screens (app.helptext), so the page cannot
fall behind the app; the exit statuses and environment variables are content's
words (man.*), which tests hold to the README's tables and the code.

    python -m foracli.app.manpage > foracli.1
"""

from __future__ import annotations

import os
import re
import sys
import time
from typing import Any

from foracli import __version__
from foracli.app.helptext import Entry, Page, pages
from foracli.content import words

# (status, content id) in the order the page lists them; README "Streams and exit codes".
EXIT_STATUSES = (
    ("0", "man.exit.ok"),
    ("1", "man.exit.not-found"),
    ("2", "man.exit.usage"),
    ("3", "man.exit.invalid-kb"),
    ("130", "man.exit.interrupted"),
)
# (variables, content id); README "Environment variables".
ENVIRONMENT = (
    ("FORACLI_KB", "man.env.kb"),
    ("FORACLI_CACHE_DIR", "man.env.cache-dir"),
    ("FORACLI_NO_CACHE", "man.env.no-cache"),
    ("FORACLI_WATCH", "man.env.watch"),
    ("FORACLI_WATCH_MIN", "man.env.watch-min"),
    ("NO_COLOR, FORCE_COLOR, TERM", "man.env.colour"),
    ("FORCE_HYPERLINK", "man.env.hyperlink"),
    ("MANPAGER, PAGER, LESS", "man.env.pager"),
    ("COLUMNS", "man.env.columns"),
)


def escape(text: str) -> str:
    """*text* as roff reads it literally: backslashes and hyphen-minus escaped (so
    `--section` and `key-points` copy as typed), no line starting a request."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return re.sub(r"(?m)^([.'])", r"\\&\1", text)


def _term(term: str) -> str:
    """`-s, --section SECTION` as bold spellings and an italic value."""
    parts = re.split(r"(, | / | )", term)
    out = []
    for part in parts:
        if part in (", ", " / ", " "):
            out.append(escape(part))
        elif part.startswith("-"):
            out.append(f"\\fB{escape(part)}\\fR")
        elif part:
            out.append(f"\\fI{escape(part)}\\fR")
    return "".join(out)


def _entries(entries: tuple[Entry, ...]) -> list[str]:
    lines = []
    for entry in entries:
        lines += [".TP", _term(entry.term), escape(entry.text)]
    return lines


def _usage(page: Page) -> str:
    words_of_path = page.path.split()
    bold = " ".join(f"\\fB{escape(w)}\\fR" for w in words_of_path)
    return f"{bold} {_term(page.usage)}"


def _examples(page: Page, heading: str) -> list[str]:
    if not page.examples:
        return []
    return [".PP", heading, ".RS", ".nf", *(escape(e) for e in page.examples), ".fi", ".RE"]


def render(group: Any, locale: str = "en", date: str | None = None) -> str:
    """The whole manual page of the Click *group* (typer.main.get_command(app))."""
    w = words(locale)
    found = list(pages(group))
    (_, root), commands = found[0], found[1:]
    # NAME: the first clause of the app's help ("A sourced terminal reference on ...").
    first = root.text[0].split(":")[0].split(".")[0] if root.text else "foracli"
    summary = first[:1].lower() + first[1:]
    when = date if date is not None else _build_date()
    lines = [
        f'.TH FORACLI 1 "{when}" "foracli {__version__}" "{w.text("man.manual")}"',
        ".nh",  # no hyphenation: commands and option names copy as typed
        ".SH NAME",
        f"foracli \\- {escape(summary)}",
        ".SH SYNOPSIS",
        _usage(root),
    ]
    for _, page in commands:
        lines += [".br", _usage(page)]
    lines.append(".SH DESCRIPTION")
    for paragraph in root.text:
        lines += [".PP", escape(paragraph)]
    lines += [".SH OPTIONS", *_entries(root.options)]
    lines.append(f".SH {w.text('man.commands')}")
    for _, page in commands:
        lines += [f'.SS "{escape(page.path)}"', _usage(page)]
        for paragraph in page.text:
            lines += [".PP", escape(paragraph)]
        if page.arguments or page.options:
            lines += [".PP", f"{w.text('help.arguments')} / {w.text('help.options')}:"]
            lines += [".RS", *_entries(page.arguments + page.options), ".RE"]
        label = w.text("help.example" if len(page.examples) == 1 else "help.examples")
        lines += _examples(page, f"{label}:")
    lines.append(f".SH {w.text('man.exit-status')}")
    for status, key in EXIT_STATUSES:
        lines += [".TP", f"\\fB{status}\\fR", escape(w.text(key))]
    lines.append(f".SH {w.text('man.environment')}")
    for names, key in ENVIRONMENT:
        bold = ", ".join(f"\\fB{escape(n)}\\fR" for n in names.split(", "))
        lines += [".TP", bold, escape(w.text(key))]
    lines += [f".SH {w.text('man.see-also')}", ".BR less (1),", ".BR man (1)"]
    return "\n".join(lines) + "\n"


def _build_date() -> str:
    """The build's date: SOURCE_DATE_EPOCH (reproducible builds) or today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    stamp = int(epoch) if epoch.isdigit() else int(time.time())
    return time.strftime("%Y-%m-%d", time.gmtime(stamp))


def main() -> None:
    """Write the page to stdout (the build hook calls render() itself)."""
    import typer.main

    from foracli.app.cli import app

    sys.stdout.write(render(typer.main.get_command(app)))


if __name__ == "__main__":
    main()
