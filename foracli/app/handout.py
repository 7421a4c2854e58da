"""`handout`: one printable page for a patient, written to a file as HTML or Markdown.

Builds the views with `query`, picks the glossary terms the page uses, renders to
a string and writes it atomically, so a failed run never leaves half a file or
destroys one the user had. `-o -` writes the page to standard output instead.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from foracli import content
from foracli.core import query
from foracli.core.errors import HandoutError
from foracli.core.model import KnowledgeBase
from foracli.render.common import page_text
from foracli.render.html import HtmlHandoutRenderer
from foracli.render.markdown import MarkdownHandoutRenderer

if TYPE_CHECKING:
    from foracli.render import Renderer

HTML_SUFFIXES = (".html", ".htm")
MARKDOWN_SUFFIXES = (".md", ".markdown")
STDOUT = Path("-")  # `-o -`: the page goes to standard output


def write_handout(
    kb: KnowledgeBase,
    procedure: str,
    *,
    output: Path,
    compare_with: str | None = None,
    force: bool = False,
    region: str | None = None,
    full: bool = False,
    fmt: str | None = None,
    stdout: TextIO | None = None,
) -> Path:
    """Write the handout for *procedure* (and its comparison with *compare_with*) to *output*.

    *fmt* ("html" or "markdown") or else the suffix picks the format; an existing
    file is replaced only with *force*. STDOUT writes to *stdout* (Markdown unless
    *fmt* says html).
    """
    html = _is_html(output, fmt)
    if output != STDOUT:
        _check_target(output, force=force)
    view, comparison = query.handout(
        kb, procedure, compare_with=compare_with, region=region, full=full
    )
    if comparison is not None and len(comparison.procedures) < 2:
        raise HandoutError("same-procedure", name=view.procedure.name)
    terms = query.terms_used(kb.glossary.values(), page_text(view, comparison, content.words()))
    page = query.Handout(view, comparison, tuple(terms), full)
    renderer: Renderer[query.Handout]
    renderer = HtmlHandoutRenderer() if html else MarkdownHandoutRenderer()
    buffer = io.StringIO()
    renderer.render(page, buffer)
    if output == STDOUT:
        (stdout or sys.stdout).write(buffer.getvalue())
    else:
        _write_atomically(output, buffer.getvalue(), force=force)
    return output


def write_new(output: Path, text: str) -> None:
    """Write *text* to the new file *output*, atomically; never replaces a file."""
    _check_target(output, force=False)
    _write_atomically(output, text, force=False)


def _is_html(output: Path, fmt: str | None) -> bool:
    """Whether to write HTML: *fmt* if given (it must agree with a known suffix),
    else the suffix; Markdown for standard output."""
    suffix = output.suffix.lower()
    by_suffix = {
        **dict.fromkeys(HTML_SUFFIXES, "html"),
        **dict.fromkeys(MARKDOWN_SUFFIXES, "markdown"),
    }
    named = by_suffix.get(suffix) if output != STDOUT else None
    if fmt is not None and named is not None and named != fmt:
        raise HandoutError("format-mismatch", output=output, fmt=fmt)
    chosen = fmt or named or ("markdown" if output == STDOUT else None)
    if chosen is None:
        known = ", ".join(HTML_SUFFIXES + MARKDOWN_SUFFIXES)
        raise HandoutError("unknown-format", output=output, known=known)
    return chosen == "html"


def _check_target(output: Path, *, force: bool) -> None:
    if output.is_dir():
        raise HandoutError("is-folder", output=output)
    if output.exists() and not output.is_file():
        # A device or a pipe (/dev/full, a FIFO) cannot be replaced atomically, and
        # with --force a rename would put a file where the device was.
        raise HandoutError("not-a-file", output=output)
    if output.exists() and not force:
        raise HandoutError("exists", output=output)
    if not output.parent.is_dir():
        raise HandoutError("no-folder", output=output, folder=output.parent)


def _write_atomically(output: Path, text: str, *, force: bool) -> None:
    """Write a temporary file beside *output*, then move it into place in one step."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
    except OSError as error:
        raise HandoutError("cannot-write", output=output, reason=error.strerror) from error
    temp = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        temp.chmod(_file_mode(output))
        if force:
            os.replace(temp, output)
        else:
            _link_new(temp, output)
    except OSError as error:
        raise HandoutError("cannot-write", output=output, reason=error.strerror) from error
    finally:
        temp.unlink(missing_ok=True)


def _link_new(temp: Path, output: Path) -> None:
    # A hard link fails if *output* appeared since the check: no race can clobber it.
    try:
        os.link(temp, output)
    except FileExistsError:
        raise HandoutError("exists", output=output) from None
    except OSError:
        if output.exists():  # no hard links on this file system
            raise HandoutError("exists", output=output) from None
        os.replace(temp, output)


def _file_mode(output: Path) -> int:
    """Keep a replaced file's permissions; give a new one the usual umask-based mode."""
    if output.exists():
        return output.stat().st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
