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
    try:
        sys.stdout.flush()
        view = memoryview(output)
        while view:
            written = os.write(1, view)
            view = view[written:]
    except BrokenPipeError:
        from foracli.app.streams import after_broken_pipe

        raise SystemExit(after_broken_pipe()) from None
    return True
