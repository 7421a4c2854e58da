"""What to do when stdout cannot take what foracli writes: one rule for every path.

A reader that has gone (`| head -1`) ends the run quietly with CLOSED_PIPE_EXIT;
any other write error (a full disk, a stdout opened read-only) is one `foracli:`
line on stderr and exit 1. The full run, the direct path and the replay all end
here. Only `os` at import: the replay path uses it too.
"""

from __future__ import annotations

import errno
import os

# 0, not the 1 the Python docs suggest: a reader that stops early is not a failure,
# and whether foracli even sees the closed pipe depends only on how much it wrote
# (a pipe holds 64 KiB), so any other code would differ between small and large
# outputs of the same command. README "Streams and exit codes".
CLOSED_PIPE_EXIT = 0
WRITE_FAILED_EXIT = 1


def _quiet_stdout() -> None:
    """Point stdout at devnull, so the interpreter's final flush of what is still
    buffered cannot fail again (Python docs, "Note on SIGPIPE")."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)


def after_broken_pipe() -> int:
    """Silence stdout after its reader went away; the exit status to end with."""
    _quiet_stdout()
    return CLOSED_PIPE_EXIT


def after_write_error(error: OSError) -> int:
    """Say once why stdout could not be written (not for a closed pipe, which is
    quiet), silence it, and return the exit status to end with."""
    if isinstance(error, BrokenPipeError) or error.errno == errno.EPIPE:
        return after_broken_pipe()
    _quiet_stdout()
    _say("write.stdout", reason=error.strerror or str(error))
    return WRITE_FAILED_EXIT


def stdout_missing() -> bool:
    """True (after saying so) when the process was started with stdout closed
    (`foracli explain >&-`): then the next file opened would take descriptor 1 and
    receive the output, so nothing may run."""
    try:
        os.fstat(1)
    except OSError:
        _say("write.no-stdout")
        return True
    return False


def _say(key: str, **fields: str) -> None:
    import sys

    from foracli.content import words  # only on the way out: words cost an import

    try:
        sys.stderr.write(f"foracli: {words().text(key, **fields)}\n")
        sys.stderr.flush()
    except (OSError, AttributeError):
        pass  # stderr is gone too (or None): the exit status is all that is left
