"""Domain errors and the exit codes they map to (named once, here)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit statuses, documented in the README."""

    OK = 0
    NOT_FOUND = 1
    USAGE = 2  # Typer/Click's own; never raised by foracli code
    INVALID_KB = 3


class ForacliError(Exception):
    """Base of every expected error; the CLI prints it as one line."""

    exit_code = ExitCode.NOT_FOUND

    def lines(self) -> list[str]:
        """What to print on stderr, one item per line."""
        return [str(self)]


class NotFoundError(ForacliError):
    """A name the user typed matches nothing; carries close matches."""

    exit_code = ExitCode.NOT_FOUND

    def __init__(self, kind: str, name: str, suggestions: list[str]) -> None:
        self.kind = kind
        self.name = name
        self.suggestions = suggestions
        super().__init__(self._message())

    def _message(self) -> str:
        message = f"unknown {self.kind} '{self.name}'"
        if self.suggestions:
            quoted = " or ".join(f"'{s}'" for s in self.suggestions)
            return f"{message}; did you mean {quoted}?"
        return message


class NoMatchError(ForacliError):
    """A search found nothing."""

    exit_code = ExitCode.NOT_FOUND

    def __init__(self, query: str) -> None:
        self.query = query
        super().__init__(
            f"nothing matches '{query}'; try fewer or plainer words, "
            "or 'foracli glossary' for the terms used"
        )


class PathNotFoundError(ForacliError):
    """A knowledge-base path the user gave does not exist."""

    exit_code = ExitCode.NOT_FOUND

    def __init__(self, path: str, reason: str | None = None) -> None:
        self.path = path
        if reason:
            super().__init__(f"cannot read knowledge-base path {path}: {reason}")
        else:
            super().__init__(f"no such knowledge-base file or folder: {path}")


class MissingSectionError(NotFoundError):
    """A real section that this procedure does not have."""

    def __init__(self, procedure: str, section: str) -> None:
        self.procedure = procedure
        super().__init__("section", section, [])

    def _message(self) -> str:
        return f"procedure '{self.procedure}' has no section '{self.name}'"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a knowledge-base file, at a place in it."""

    path: str
    line: int
    column: int
    message: str
    severity: str = "error"  # or "warning": reported by validate, never fatal elsewhere

    def __str__(self) -> str:
        label = "warning: " if self.severity == "warning" else ""
        return f"{self.path}:{self.line}:{self.column}: {label}{self.message}"


class KnowledgeBaseError(ForacliError):
    """The knowledge base failed validation; holds every problem found."""

    exit_code = ExitCode.INVALID_KB

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(str(problems[0]) if problems else "invalid knowledge base")

    def lines(self) -> list[str]:
        """The first problem, and a count of the rest so one line stays one line."""
        first = str(self.problems[0])
        rest = len(self.problems) - 1
        if rest:
            first += f" (and {rest} more problem{'s' if rest > 1 else ''})"
        return [first]
