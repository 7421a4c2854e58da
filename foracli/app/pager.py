"""Paging: hand rendered bytes to the user's pager, as pydoc (and so Rich) does.

One function for the full run and the replay, so the pager gets the same bytes
either way. Only `os` and the builtin `_signal` at import: the replay path uses it.
Which pager: MANPAGER, then PAGER, else `less`; with LESS unset, foracli's pager
run gets LESS=-FRX (short pages print at once, colours pass, the screen stays),
and a LESS without -R gets it added, so less never shows colour codes as text.
A pager that cannot be found, or that the shell could not start (status 126 or
127), counts as not started: the caller prints directly and says so once.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from collections.abc import Mapping

DEFAULT_PAGER = "less"
DEFAULT_LESS = "-FRX"
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./+:, ")


def pager_command(environ: Mapping[str, str]) -> str | None:
    """The pager to run (a shell command), or None to print directly (TERM=dumb
    with no pager named, as pydoc decides)."""
    named = environ.get("MANPAGER") or environ.get("PAGER")
    if named:
        return named
    if environ.get("TERM") in ("dumb", "emacs"):
        return None
    return DEFAULT_PAGER


def less_options(environ: Mapping[str, str]) -> str:
    """LESS for foracli's pager run: -FRX when unset; the user's own options with -R
    added when they lack it (-R or -r, or their long names), since foracli pages
    colour; the user's LESS is otherwise kept as it is."""
    given = environ.get("LESS")
    if given is None:
        return DEFAULT_LESS
    for word in given.split():
        if word.lower().startswith("--raw-control"):  # --RAW-CONTROL-CHARS, --raw-control-chars
            return given
        if not word.startswith("--") and {"R", "r"} & set(word.lstrip("-")):
            return given
    return f"{given} -R".strip()


def _findable(command: str, environ: Mapping[str, str]) -> bool:
    """Whether the program *command* starts with exists (a path, or on PATH)."""
    words = command.split()
    if not words:
        return False
    program = words[0]
    if "/" in program:
        return os.access(program, os.X_OK)
    for folder in environ.get("PATH", os.defpath).split(os.pathsep):
        if folder and os.access(os.path.join(folder, program), os.X_OK):
            return True
    return False


def page(data: bytes, environ: Mapping[str, str]) -> str | None:
    """Show *data* through the pager; None when done, else the pager command that
    could not start (the caller then prints *data* itself and says so)."""
    command = pager_command(environ)
    if command is None or not _findable(command, environ):
        return command or ""
    # The builtin _signal: `signal` would import enum, ~3 ms on the replay path.
    import _signal  # type: ignore[import-not-found]

    child_env = dict(environ)
    child_env["LESS"] = less_options(environ)
    # A plain command ("less", "less -R") starts directly; anything the shell must read
    # (pipes, redirections, quotes, variables) goes through /bin/sh, as pydoc does.
    argv = command.split() if _PLAIN.issuperset(command) else ["/bin/sh", "-c", command]
    read_end, write_end = os.pipe()
    try:
        pid = os.posix_spawnp(
            argv[0],
            argv,
            child_env,
            file_actions=[(os.POSIX_SPAWN_DUP2, read_end, 0), (os.POSIX_SPAWN_CLOSE, write_end)],
            setsigdef=(_signal.SIGPIPE, _signal.SIGINT),
        )
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return command
    os.close(read_end)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(write_end, view) :]
    except OSError:
        pass  # the reader quit early (q in less): nothing more to show
    finally:
        os.close(write_end)
    status = 0
    while True:
        try:
            status = os.waitpid(pid, 0)[1]
            break
        except KeyboardInterrupt:
            continue  # Ctrl-C belongs to the pager while it runs, as with pydoc
        except ChildProcessError:
            break
    # 126/127: /bin/sh found no program to run (or could not run it), so nothing was
    # shown; any other status is the pager's own (less quits 0, a user's pager may not).
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) in (126, 127):
        return command
    return None
