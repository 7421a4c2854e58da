"""`handout`: one printable page for a patient, written to a file as HTML or Markdown.

Builds the views with `query`, picks the glossary terms the page uses, renders to
a string and writes it atomically, so a failed run never leaves half a file or
destroys one the user had.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from foracli import query
from foracli.errors import ForacliError
from foracli.model import KnowledgeBase, Term
from foracli.query import ComparisonView, Explanation
from foracli.render import html, markdown
from foracli.render.common import DISCLAIMER, EMERGENCY, finding_phrase, format_amount

HTML_SUFFIXES = (".html", ".htm")
MARKDOWN_SUFFIXES = (".md", ".markdown")


class HandoutError(ForacliError):
    """The handout cannot be written where asked (format, existing file, folder)."""


def write_handout(
    kb: KnowledgeBase,
    procedure: str,
    *,
    output: Path,
    compare_with: str | None = None,
    force: bool = False,
) -> Path:
    """Write the handout for *procedure* (and its comparison with *compare_with*) to *output*.

    The suffix picks HTML or Markdown; an existing file is replaced only with *force*.
    """
    suffix = output.suffix.lower()
    if suffix not in HTML_SUFFIXES + MARKDOWN_SUFFIXES:
        known = ", ".join(HTML_SUFFIXES + MARKDOWN_SUFFIXES)
        raise HandoutError(f"cannot tell the format of '{output}': name it with {known}")
    _check_target(output, force=force)
    view = query.explain(kb, procedure)
    comparison = None
    if compare_with is not None:
        comparison = query.compare(kb, [procedure, compare_with])
        if len(comparison.procedures) < 2:
            raise HandoutError(f"cannot compare '{view.procedure.name}' with itself")
    terms = terms_used(kb.glossary.values(), page_text(view, comparison))
    buffer = io.StringIO()
    if suffix in HTML_SUFFIXES:
        html.render_handout(view, comparison, terms, buffer)
    else:
        render_markdown_handout(view, comparison, terms, buffer)
    _write_atomically(output, buffer.getvalue(), force=force)
    return output


def page_text(view: Explanation, comparison: ComparisonView | None) -> str:
    """Everything a reader reads on the page, except the bibliography, one line each."""
    return "\n".join(_page_lines(view, comparison))


def _page_lines(view: Explanation, comparison: ComparisonView | None) -> Iterator[str]:
    proc = view.procedure
    yield from (proc.name, proc.summary, EMERGENCY, DISCLAIMER)
    for section in view.sections:
        yield section.spec.title_for(proc.approach)
        for point in section.points:
            yield from (point.label or "", point.text)
    if comparison is None:
        return
    yield from (p.name for p in comparison.procedures)
    for row in comparison.rows:
        yield row.spec.label
        for value in row.values:
            if value is not None:
                yield from (format_amount(value), value.note or "")
        for match in row.head_to_head:
            yield from (finding_phrase(match.finding, match.subject), match.finding.text)


def terms_used(glossary: Iterable[Term], text: str) -> list[Term]:
    """The terms whose name or an alias occurs in *text* as a whole word, any case, by name.

    Each keeps only the aliases the text uses: the words a reader will look for.
    """
    found = []
    for term in glossary:
        aliases = tuple(
            a
            for a in term.aliases
            if a.casefold() != term.term.casefold() and _word(a).search(text)
        )
        if aliases or _word(term.term).search(text):
            found.append(replace(term, aliases=aliases))
    return sorted(found, key=lambda t: t.term.casefold())


def _word(name: str) -> re.Pattern[str]:
    # Spaces in a term match any run of whitespace; \w edges keep "pen" out of "open".
    body = r"\s+".join(re.escape(part) for part in name.split())
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def render_markdown_handout(
    view: Explanation, comparison: ComparisonView | None, terms: Sequence[Term], out: TextIO
) -> None:
    """The Markdown handout: the explanation, the comparison, then the terms used."""
    markdown.render_explanation(view, out)
    if comparison is not None:
        part = io.StringIO()
        markdown.render_comparison(comparison, part)
        out.write("\n" + _nest(part.getvalue()))
    if terms:
        out.write("\n## Words used on this page\n\n")
        for term in terms:
            also = f" (also: {markdown.escape(', '.join(term.aliases))})" if term.aliases else ""
            name = markdown.escape(term.term)
            out.write(f"- **{name}**{also}: {markdown.escape(term.definition)}\n")


_HEADING = re.compile(r"^(#{1,5}) ", re.MULTILINE)
_NOTE = re.compile(r"\[\^(\d+)\]")


def _nest(text: str) -> str:
    """A second page, made part of the first: headings one level down, own footnote labels.

    Escaped knowledge-base text can hold neither a line-start '#' nor '[^1]', so
    only the renderer's own headings and footnotes match.
    """
    text = _HEADING.sub(r"#\1 ", text)
    return _NOTE.sub(r"[^c\1]", text)


def _check_target(output: Path, *, force: bool) -> None:
    if output.is_dir():
        raise HandoutError(f"'{output}' is a folder; give a file name such as handout.html")
    if output.exists() and not force:
        raise HandoutError(f"'{output}' already exists; use --force to replace it")
    if not output.parent.is_dir():
        raise HandoutError(f"cannot write '{output}': folder '{output.parent}' does not exist")


def _write_atomically(output: Path, text: str, *, force: bool) -> None:
    """Write a temporary file beside *output*, then move it into place in one step."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
    except OSError as error:
        raise HandoutError(f"cannot write '{output}': {error.strerror}") from error
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
        raise HandoutError(f"cannot write '{output}': {error.strerror}") from error
    finally:
        temp.unlink(missing_ok=True)


def _link_new(temp: Path, output: Path) -> None:
    # A hard link fails if *output* appeared since the check: no race can clobber it.
    try:
        os.link(temp, output)
    except FileExistsError:
        raise HandoutError(f"'{output}' already exists; use --force to replace it") from None
    except OSError:
        if output.exists():  # no hard links on this file system
            raise HandoutError(f"'{output}' already exists; use --force to replace it") from None
        os.replace(temp, output)


def _file_mode(output: Path) -> int:
    """Keep a replaced file's permissions; give a new one the usual umask-based mode."""
    if output.exists():
        return output.stat().st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
