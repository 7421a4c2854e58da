"""Replay a command's output from the cache without importing Typer, YAML or Rich.

Only the commands in COMMANDS are replayed (and plain `--help` requests), and
only their exact argument lists that a full run has rendered before (a full run
stores its output; errors are never stored). Anything this module is unsure of,
such as an unknown token or a missing entry, goes to the Typer app, which stays
the one definition of the command line.
"""

from __future__ import annotations

import os
import sys

from foracli.app import grammar
from foracli.app.inputs import decide
from foracli.kb.files import env_layers
from foracli.speed import outcache

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from collections.abc import Mapping

# Commands whose output depends only on their arguments, the knowledge base, the
# environment declared in app.inputs and the terminal: these are replayed.
COMMANDS = grammar.COMMANDS
ALL_COMMANDS = COMMANDS | grammar.OTHER_COMMANDS
HELP = grammar.HELP


def _layers(options: dict[str, object], environ: Mapping[str, str]) -> list[str]:
    given = options.get("kb") or env_layers(environ)
    return [os.path.abspath(p) for p in given]  # type: ignore[attr-defined]


def _terminal_state(rich: bool) -> tuple[object, ...]:
    """What Rich looks at: which streams are terminals, and their size."""
    ttys = tuple(os.isatty(fd) for fd in (0, 1, 2))
    size: tuple[int, int] | None = None
    if rich:
        for fd in (0, 1, 2):  # Rich asks each standard stream in turn
            try:
                size = tuple(os.get_terminal_size(fd))  # type: ignore[assignment]
                break
            except OSError:
                continue
    return (ttys, size)


def _may_be_rich(options: dict[str, object], environ: Mapping[str, str]) -> bool:
    """Whether the full app will choose Rich: the output plan's own rule (app.inputs)."""
    fmt = str(options.get("fmt", "auto")).lower()
    color = str(options.get("color", "auto")).lower()
    return decide(fmt, color, isatty=os.isatty(1), env=environ)[0] == "rich"


def cache_key(
    argv: list[str], environ: Mapping[str, str]
) -> tuple[str, tuple[object, ...], list[str], bool] | None:
    """(cache folder, key, knowledge-base layers, paged) for a replayable *argv*, else
    None. *paged*: the output goes through the pager (the presenter's rule)."""
    if not argv or argv[0] not in COMMANDS or environ.get("FORACLI_NO_CACHE"):
        return None
    parsed = grammar.parse(argv[0], argv[1:])
    if parsed is None:
        return None
    options = parsed[0]
    rich = _may_be_rich(options, environ)
    flag = options.get("pager")  # True, False, or None: the last of the pair given wins
    paged = rich and os.isatty(1) and (flag is True or (flag is None and os.isatty(0)))
    directory = outcache.cache_dir(environ)
    if directory is None:
        return None
    try:
        layers = _layers(options, environ)
    except OSError:  # a relative path, and the working folder is gone: let the app say so
        return None
    key = outcache.make_key(argv, layers, environ, _terminal_state(rich))
    return directory, key, layers, paged


def try_replay(argv: list[str]) -> bool:
    """Show the cached output for *argv* and return True, or return False to run fully."""
    found = cache_key(argv, os.environ)
    if found is None:
        return False
    directory, key, _, paged = found
    return replay(directory, key, paged=paged)


def help_key(argv: list[str], environ: Mapping[str, str]) -> tuple[str, tuple[object, ...]] | None:
    """(cache folder, key) when *argv* only asks for help, which depends on code alone."""
    asks_help = (len(argv) == 1 and argv[0] in HELP) or (
        len(argv) == 2 and argv[0] in ALL_COMMANDS and argv[1] in HELP
    )
    directory = outcache.cache_dir(environ)
    if not asks_help or directory is None or environ.get("FORACLI_NO_CACHE"):
        return None
    return directory, outcache.make_key(argv, [], environ, _terminal_state(True))


# What a shell hands the program for one TAB (Typer's completion protocol).
COMPLETION_ENVIRONMENT = (
    "COMP_WORDS",
    "COMP_CWORD",
    "_TYPER_COMPLETE_ARGS",
    "_TYPER_COMPLETE_WORD_TO_COMPLETE",
    "_TYPER_COMPLETE_FISH_ACTION",
)


def completion_key(environ: Mapping[str, str]) -> tuple[str, tuple[object, ...], list[str]] | None:
    """(cache folder, key, layers) for a TAB of shell completion, else None. Completions
    depend on the words typed, the knowledge base (FORACLI_KB; a --kb typed on the line
    is left to the app) and the code, like any output."""
    instruction = environ.get("_FORACLI_COMPLETE", "")
    if not instruction.startswith("complete_") or environ.get("FORACLI_NO_CACHE"):
        return None
    typed = tuple(environ.get(name, "") for name in COMPLETION_ENVIRONMENT)
    if any("--kb" in words for words in typed):
        return None
    directory = outcache.cache_dir(environ)
    if directory is None:
        return None
    try:
        layers = [os.path.abspath(p) for p in env_layers(environ)]
    except OSError:
        return None
    key = outcache.make_key(["<complete>", instruction, *typed], layers, environ, ())
    return directory, key, layers


def table_key(layers: list[str]) -> tuple[object, ...]:
    """The key of the completion tables of a knowledge base (app.candidates.tables):
    they depend on the knowledge base and the code, not on the terminal or the words."""
    return outcache.make_key(["<completion tables>"], layers, {}, ())


def complete_from_tables(found: tuple[str, tuple[object, ...], list[str]]) -> bool:
    """Answer a bash TAB for a procedure, term, section or aspect from the stored tables,
    without Typer; False when the line is anything else or there are no tables."""
    environ = os.environ
    words_typed = environ.get("COMP_WORDS", "")
    if environ.get("_FORACLI_COMPLETE") != "complete_bash" or any(
        c in words_typed for c in "'\"\\"
    ):
        return False  # other shells format completions their own way; quotes need shlex
    try:
        cword = int(environ.get("COMP_CWORD", ""))
    except ValueError:
        return False
    cwords = words_typed.split()
    args = cwords[1:cword]
    incomplete = cwords[cword] if cword < len(cwords) else ""
    target = _target(args, incomplete)
    if target is None:
        return False
    directory, _, layers = found
    data = outcache.lookup(directory, table_key(layers), kind="tab")
    if data is None:
        return False
    import marshal

    from foracli.app import candidates

    try:
        tables = marshal.loads(data)
        if target == "procedure":
            offered = candidates.pick_procedure(tables["procedure"], tables["alias"], incomplete)
        else:
            offered = candidates.matching(tables[target], incomplete)
    except (ValueError, TypeError, KeyError):
        return False
    # Typer then keeps only values that start with the word as typed (its
    # compat_autocompletion); tests/test_completion.py holds both paths to one answer.
    text = "\n".join(value for value, _help in offered if value.startswith(incomplete)) + "\n"
    _write_all(text.encode(sys.stdout.encoding or "utf-8", "replace"))
    return True


def _target(args: list[str], incomplete: str) -> str | None:
    """Which table a bash TAB completes from, as Click would resolve it, or None when
    unsure (a command name, an option name, a path, a choice: Typer answers those)."""
    if not args or incomplete.startswith("-") or "=" in incomplete or "--" in args:
        return None
    command, rest = args[0], args[1:]
    spec = grammar.OPTIONS.get(command)
    if spec is None:
        return None
    if rest and spec.get(rest[-1], ("", ""))[1] in (grammar.VALUE, grammar.VALUES):
        if grammar.parse(command, rest[:-1]) is None:
            return None
        return {"section": "section", "aspect": "aspect"}.get(spec[rest[-1]][0])
    if grammar.parse(command, rest) is None:
        return None
    return {"procedure": "procedure", "procedures": "procedure", "term": "term"}.get(
        grammar.POSITIONAL.get(command) or ""
    )


def _write_all(data: bytes) -> None:
    """Write *data* to stdout's descriptor; a closed pipe or a full disk ends the run
    as the app would (app.streams)."""
    try:
        sys.stdout.flush()
        view = memoryview(data)
        while view:
            view = view[os.write(1, view) :]
    except OSError as error:
        from foracli.app.streams import after_write_error

        raise SystemExit(after_write_error(error)) from None


def replay(directory: str, key: tuple[object, ...], *, paged: bool = False) -> bool:
    """Write the cached output for *key*, through the pager when *paged*; False when
    there is none. The pager gets exactly the bytes the full run gave it."""
    output = outcache.lookup(directory, key)
    if output is None:
        return False
    if paged:
        from foracli.app.pager import page

        failed = page(output, os.environ)
        if failed is None:
            return True
        if failed:  # the same one line the full run writes (content: pager.failed)
            return False  # let the full run say so and print: it has the words
    _write_all(output)
    return True
