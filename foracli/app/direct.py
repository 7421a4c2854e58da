"""Run a reading command without Typer, when its arguments are plainly understood.

Typer (and the pydantic it builds on) costs about 110 ms of a first run. The
common forms of the reading commands are read here with the grammar Typer's app is
tested against (app.grammar) and run through the same command bodies
(app.commands). Anything unsure (help, a value Typer would reject, a missing
argument, an option of another command) returns None, and Typer runs instead:
it stays the one definition of the command line, its help and its errors.
"""

from __future__ import annotations

import sys

from foracli.app import commands, grammar
from foracli.app.present import Environment
from foracli.app.streams import after_write_error
from foracli.render import Color, Format

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable


def _choice(value: object, enum: type[Format] | type[Color]) -> Format | Color | None:
    """Click's case-insensitive choice; None for anything Typer would reject."""
    try:
        return enum(str(value).casefold())  # as Click's Choice(case_sensitive=False)
    except ValueError:
        return None


def run(argv: list[str], env: Environment) -> int | None:
    """The exit status of *argv* run directly, or None when Typer must run it."""
    if not argv or argv[0] not in grammar.COMMANDS:
        return None
    parsed = grammar.parse(argv[0], argv[1:])
    if parsed is None:
        return None
    options, words = parsed
    call = _prepare(argv[0], options, words)
    if call is None:
        return None
    code: int = 0
    try:
        try:
            call(env)
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else 1
        except KeyboardInterrupt:
            code = 130  # what Typer's main does: no message, the shell's status for SIGINT
        except EOFError:  # as Typer: an empty line (after the ^D), then app.usage's words
            from foracli import content

            sys.stderr.write(f"\nforacli: {content.words().text('usage.aborted')}\n")
            code = 1
        sys.stdout.flush()
    except OSError as error:
        code = after_write_error(error)
    return code


def _prepare(
    command: str, options: dict[str, object], words: list[str]
) -> Callable[[Environment], None] | None:
    """The call for *command* with its arguments converted as Typer converts them, or
    None where Typer would say the arguments are wrong (its words, not ours)."""
    fmt = _choice(options.pop("fmt", "auto"), Format)
    color = _choice(options.pop("color", "auto"), Color)
    if not isinstance(fmt, Format) or not isinstance(color, Color):
        return None
    given: list[str] = options.pop("kb", [])  # type: ignore[assignment]
    if "" in given:
        # Checked last, as Typer's parser meets it: any other mistake goes to Typer.
        call = _prepare(command, options, words)
        return None if call is None else (lambda _env: commands.refuse_empty_kb())
    kb = given or None  # strings: the loader makes them Paths, if it is needed
    pager = options.pop("pager", None)
    common: dict[str, object] = {"fmt": fmt, "color": color, "kb": kb, "pager": pager}
    if command == "explain":
        if options.get("brief") and options.get("section"):
            return None  # Typer's usage error
        return lambda env: commands.explain(env, procedure=words or None, **options, **common)  # type: ignore[arg-type]
    if command == "compare":
        if len(words) < 2:
            return None
        return lambda env: commands.compare(env, procedures=words, **options, **common)  # type: ignore[arg-type]
    if command == "list":
        return None if words else lambda env: commands.list_procedures(env, **common)  # type: ignore[arg-type]
    if command == "search":
        limit = _limit(options.pop("limit", "20"))
        if not words or limit is None:
            return None
        return lambda env: commands.search(env, words=words, limit=limit, **options, **common)  # type: ignore[arg-type]
    if command == "ask":
        if not words:
            return None
        return lambda env: commands.ask(env, question=words, **options, **common)  # type: ignore[arg-type]
    if command == "glossary":
        return lambda env: commands.glossary(env, term=words or None, **common)  # type: ignore[arg-type]
    if command == "sources":
        return lambda env: commands.sources(env, procedure=words or None, **common)  # type: ignore[arg-type]
    return None


def _limit(value: object) -> int | None:
    """Click's IntRange(min=1): a whole number of at least 1, else None."""
    try:
        number = int(str(value))
    except ValueError:
        return None
    return number if number >= 1 else None
