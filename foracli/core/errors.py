"""Domain errors and the exit codes they map to (named once, here)."""

from __future__ import annotations

from enum import IntEnum

from foracli.core.record import record
from foracli.core.text import shown


class ExitCode(IntEnum):
    """Process exit statuses, documented in the README."""

    OK = 0
    NOT_FOUND = 1
    USAGE = 2  # Typer/Click's own, and UsageProblem's
    INVALID_KB = 3


class ForacliError(Exception):
    """Base of every expected error; the app prints it as one line, in words that
    content gives it (content.Words.error). Errors carry data, not wording."""

    exit_code = ExitCode.NOT_FOUND


class NotFoundError(ForacliError):
    """A name the user typed matches nothing; carries close matches."""

    exit_code = ExitCode.NOT_FOUND

    def __init__(self, kind: str, name: str, suggestions: list[str]) -> None:
        self.kind = kind  # a vocabulary key: procedure, section, term, aspect
        self.name = name
        self.suggestions = suggestions
        super().__init__(kind, name, suggestions)


class NoMatchError(ForacliError):
    """A search found nothing."""

    exit_code = ExitCode.NOT_FOUND

    def __init__(self, query: str) -> None:
        self.query = query
        super().__init__(query)


class PathNotFoundError(ForacliError):
    """A knowledge-base path the user gave does not exist."""

    exit_code = ExitCode.NOT_FOUND

    def __init__(self, path: str, reason: str | None = None) -> None:
        self.path = path
        self.reason = reason
        super().__init__(path, reason)


class MissingSectionError(NotFoundError):
    """A real section that this procedure does not have."""

    def __init__(self, procedure: str, section: str) -> None:
        self.procedure = procedure
        super().__init__("section", section, [])


class RegionError(ForacliError):
    """A procedure asked for with a region it is not done in."""

    exit_code = ExitCode.NOT_FOUND

    def __init__(self, procedure: str, region: str, regions: tuple[str, ...]) -> None:
        self.procedure = procedure  # its name
        self.region = region  # a Region value
        self.regions = regions  # the Region values it is done in
        super().__init__(procedure, region, regions)


class HandoutError(ForacliError):
    """The handout cannot be written where asked: *key* names why (content words it)."""

    def __init__(self, key: str, **fields: object) -> None:
        self.key = key
        self.fields = fields
        super().__init__(key, fields)


class UsageProblem(ForacliError):
    """Arguments Click accepts but that make no sense together (the same procedure
    twice in `compare`): a usage error, worded by content from *key*."""

    exit_code = ExitCode.USAGE

    def __init__(self, command: str, key: str, **fields: object) -> None:
        self.command = command
        self.key = key
        self.fields = fields
        super().__init__(command, key, fields)


@record
class Problem:
    """One thing wrong with a knowledge-base file, at a place in it."""

    path: str
    line: int
    column: int
    message: str
    severity: str = "error"  # or "warning": reported by validate, never fatal elsewhere
    # A content rule's problem has no message of its own: content words it by key.
    key: str = ""
    fields: tuple[tuple[str, object], ...] = ()

    def __str__(self) -> str:
        # One line whatever the file's name or the message quote: controls visible.
        # Not cut: the path names a file that exists, so the OS bounds its length.
        label = "warning: " if self.severity == "warning" else ""
        where = shown(self.path, 1 << 16)
        return f"{where}:{self.line}:{self.column}: {label}{shown(self.message, 1 << 16)}"


class KnowledgeBaseError(ForacliError):
    """The knowledge base failed validation; holds every problem found."""

    exit_code = ExitCode.INVALID_KB

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(str(problems[0]) if problems else "invalid knowledge base")


class DecideError(ForacliError):
    """A decision cannot be laid out: fewer than two options."""

    exit_code = ExitCode.USAGE

    def __init__(self, key: str, **fields: object) -> None:
        self.key = key
        self.fields = fields
        super().__init__(key, fields)


class AnswersError(ForacliError):
    """An answers file cannot be used; says where (path:line:col) and why."""

    exit_code = ExitCode.USAGE

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))
