"""The `foracli` command: replay cached output when possible, else run the Typer app.

Imports nothing heavy at module level: a replay costs a few stat calls and one read.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Console-script entry point."""
    import os

    from foracli import fastpath

    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")  # never a traceback for unencodable text
    argv = sys.argv[1:]
    if fastpath.try_replay(argv):
        return
    asks_help = fastpath.help_key(argv, os.environ)
    if asks_help is not None and fastpath.replay(*asks_help):
        return
    from foracli import cli

    cli.REPLAYABLE_ARGV = argv
    if asks_help is None:
        cli.main()
        return
    # Help is rendered by Typer and Rich straight to stdout: record it on the way.
    recorder = cli.Recorder(sys.stdout)
    sys.stdout = recorder
    try:
        cli.main()
    except SystemExit as done:
        if not done.code:
            import contextlib

            from foracli import outcache

            with contextlib.suppress(UnicodeError):  # not cached; it was printed all the same
                outcache.store(*asks_help, {}, recorder.encoded(), code=cli._library_files())
        raise
    finally:
        sys.stdout = recorder.stream
