"""What to do when the reader of stdout has gone: one rule for every path that writes.

Only `os`: the replay path uses it too.
"""

from __future__ import annotations

import os

CLOSED_PIPE_EXIT = 1  # the exit status the Python docs suggest for EPIPE


def after_broken_pipe() -> int:
    """Point stdout at devnull, so the interpreter's final flush cannot fail again
    (Python docs, "Note on SIGPIPE"), and return the exit status to end with."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    return CLOSED_PIPE_EXIT
