"""What each reading command does, without the command line around it.

The Typer commands (app.cli) and the direct path (app.direct) both call these, so a
command has one body whichever way its arguments were read: load the knowledge
base, ask the core, present the view. An expected error prints one line and ends
the run with its exit code.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

from foracli import content
from foracli.app.present import Environment, present
from foracli.core import query
from foracli.core.errors import ExitCode, ForacliError, NoMatchError, NotFoundError, UsageProblem
from foracli.core.model import KnowledgeBase
from foracli.core.query import View
from foracli.render import Color, Format

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from pathlib import Path
    from typing import NoReturn

    from foracli.kb.files import StrPath


def fail(error: ForacliError, locale: str = "en") -> NoReturn:
    """Print *error* as one `foracli:` line on stderr and end with its exit code."""
    for line in content.words(locale).error_lines(error):
        sys.stderr.write(f"foracli: {line}\n")
    raise SystemExit(int(error.exit_code))


def kb_path(value: str) -> Path:
    """A --kb value as a path; an empty one (an unset "$VAR") is a usage error, not the
    current folder, which Path("") would silently mean."""
    if not value:
        refuse_empty_kb()
    from pathlib import Path  # Typer calls this, and imports pathlib anyway

    return Path(value)


def refuse_empty_kb() -> NoReturn:
    """One usage line for an empty --kb, and Click's usage status."""
    sys.stderr.write(f"foracli: {content.words().text('error.empty-kb')}\n")
    raise SystemExit(int(ExitCode.USAGE))


def show(
    env: Environment,
    ask: Callable[[KnowledgeBase], View],
    kb: Sequence[StrPath] | None,
    fmt: Format,
    color: Color,
    *,
    pager: bool | None = False,
    bars: bool = True,
) -> None:
    """Load the knowledge base, ask it *ask*, and present the answer; errors become exits."""
    try:
        view = ask(env.load(env.layers(kb)))
    except ForacliError as error:
        fail(error, env.locale)
    present(env, view, fmt, color, pager=pager, bars=bars)


def explain(
    env: Environment,
    *,
    procedure: Sequence[str] | None = None,
    section: Sequence[str] | None = None,
    region: str | None = None,
    brief: bool = False,
    cite: bool = True,
    fmt: Format = Format.AUTO,
    color: Color = Color.AUTO,
    kb: Sequence[StrPath] | None = None,
    pager: bool | None = None,
) -> None:
    """One procedure page (the endoscopic one by default), or some of its sections."""
    name = " ".join(procedure) if procedure else query.DEFAULT_PROCEDURE

    def ask(base: KnowledgeBase) -> View:
        try:
            return query.explain(
                base, name, section or (), region=region, brief=brief, cite=cite and not brief
            )
        except NotFoundError as error:
            if error.kind == "procedure" and _all_procedures(base, procedure or ()):
                words = " ".join(procedure or ())
                raise UsageProblem("explain", "several-procedures", words=words) from None
            raise

    show(env, ask, kb, fmt, color, pager=pager)


def compare(
    env: Environment,
    *,
    procedures: Sequence[str],
    evidence: bool = False,
    aspect: Sequence[str] | None = None,
    bars: bool = True,
    region: str | None = None,
    cite: bool = True,
    fmt: Format = Format.AUTO,
    color: Color = Color.AUTO,
    kb: Sequence[StrPath] | None = None,
    pager: bool | None = None,
) -> None:
    """Two or more procedures side by side (the caller checks there are two)."""

    def ask(base: KnowledgeBase) -> View:
        view = query.compare(
            base, procedures, evidence=evidence, aspects=aspect or (), region=region, cite=cite
        )
        if len(view.procedures) < len(procedures):
            first, second = _same(base, procedures)
            name = query.resolve_procedure(base, first).name
            key = "twice" if first == second else "same-procedure"
            raise UsageProblem("compare", key, first=first, second=second, name=name)
        return view

    show(
        env,
        ask,
        kb,
        fmt,
        color,
        pager=pager,
        bars=bars,
    )


def _all_procedures(base: KnowledgeBase, names: Sequence[str]) -> bool:
    """Whether *names* are two or more words that each name a procedure
    (`explain open endoscopic`: the user wanted `compare`)."""
    if len(names) < 2:
        return False
    try:
        for word in names:
            query.resolve_procedure(base, word)
    except NotFoundError:
        return False
    return True


def _same(base: KnowledgeBase, names: Sequence[str]) -> tuple[str, str]:
    """The first two of *names* that resolve to one procedure."""
    seen: dict[str, str] = {}
    for name in names:
        pid = query.resolve_procedure(base, name).id
        if pid in seen:
            return seen[pid], name
        seen[pid] = name
    raise AssertionError("no two names share a procedure")  # the caller saw a repeat


def list_procedures(
    env: Environment,
    *,
    fmt: Format = Format.AUTO,
    color: Color = Color.AUTO,
    kb: Sequence[StrPath] | None = None,
    pager: bool | None = None,
) -> None:
    """Every procedure with its summary."""
    show(env, query.list_procedures, kb, fmt, color, pager=pager)


def search(
    env: Environment,
    *,
    words: Sequence[str],
    limit: int = 20,
    region: str | None = None,
    fmt: Format = Format.AUTO,
    color: Color = Color.AUTO,
    kb: Sequence[StrPath] | None = None,
    pager: bool | None = None,
) -> None:
    """The best matches for *words* (the caller checks *limit* is at least 1); with no
    match, JSON still gets a document (with no hits) before the error."""
    wording = content.words(env.locale)
    text = " ".join(words)
    try:
        base = env.load(env.layers(kb))
        result = query.find(base, text, wording, limit=limit, region=region)
    except NoMatchError as error:
        if fmt is Format.JSON:
            present(env, query.SearchResult(text, ()), fmt, color, pager=pager, record=False)
        fail(error, env.locale)
    except ForacliError as error:
        fail(error, env.locale)
    present(env, result, fmt, color, pager=pager)


def ask(
    env: Environment,
    *,
    question: Sequence[str],
    region: str | None = None,
    fmt: Format = Format.AUTO,
    color: Color = Color.AUTO,
    kb: Sequence[StrPath] | None = None,
    pager: bool | None = None,
) -> None:
    """The best one to three answers to *question*; exit 1 when there are none."""
    from foracli.core.ask import ask as answer

    wording = content.words(env.locale)
    try:
        where = query.resolve_region(region) if region else None
        view = answer(env.load(env.layers(kb)), " ".join(question), wording, region=where)
    except ForacliError as error:
        fail(error, env.locale)
    present(env, view, fmt, color, pager=pager, record=bool(view.answers))  # exit 1: never replayed
    if not view.answers:
        raise SystemExit(int(NoMatchError.exit_code))


def glossary(
    env: Environment,
    *,
    term: Sequence[str] | None = None,
    fmt: Format = Format.AUTO,
    color: Color = Color.AUTO,
    kb: Sequence[StrPath] | None = None,
    pager: bool | None = None,
) -> None:
    """Every glossary term, or one of them with where it is used."""
    name = " ".join(term) if term else None
    show(env, lambda base: query.glossary(base, name), kb, fmt, color, pager=pager)


def sources(
    env: Environment,
    *,
    procedure: Sequence[str] | None = None,
    fmt: Format = Format.AUTO,
    color: Color = Color.AUTO,
    kb: Sequence[StrPath] | None = None,
    pager: bool | None = None,
) -> None:
    """The whole bibliography, or the sources one procedure cites."""
    name = " ".join(procedure) if procedure else None
    show(env, lambda base: query.list_sources(base, name), kb, fmt, color, pager=pager)
