"""The `foracli` command: replay cached output when possible, else run the app with
the caches wrapped around it.

Imports nothing heavy at module level: a replay costs a few stat calls and one read.
This is the only place the speed layer meets the app: it hands the app a loader
that goes through the knowledge-base caches and a hook that records output.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from foracli.core.model import KnowledgeBase
    from foracli.kb.files import StrPath
    from foracli.speed.outcache import Signature


def main() -> None:
    """Console-script entry point."""
    from foracli.app.streams import stdout_missing

    if stdout_missing():  # `>&-`: the next file opened would receive the output
        sys.exit(1)
    from foracli.speed import fastpath

    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")  # never a traceback for unencodable text
    argv = sys.argv[1:]
    completing = fastpath.completion_key(os.environ)
    if completing is not None:
        if fastpath.replay(*completing[:2]) or fastpath.complete_from_tables(completing):
            return
    elif fastpath.try_replay(argv):
        return
    asks_help = None if completing else fastpath.help_key(argv, os.environ)
    if asks_help is not None and fastpath.replay(*asks_help):
        return
    from foracli.app.present import Environment

    session = Session(argv, os.environ)
    env = Environment(load=session.load, record=session.record if session.replayable else None)
    if asks_help is None and completing is None:
        from foracli.app import direct

        code = direct.run(argv, env)  # the common forms, without Typer
        if code is None:
            from foracli.app import cli

            code = cli.run(argv, env)
        sys.exit(code)
    from foracli.app import cli

    # Help and completions are written by Typer straight to stdout: record them on the way.
    from foracli.app.present import Recorder

    recorder = Recorder(sys.stdout)
    sys.stdout = recorder
    try:
        code = cli.run(argv, env)
    finally:
        sys.stdout = recorder.stream
    if code == 0:
        import contextlib

        with contextlib.suppress(UnicodeError):  # not cached; it was printed all the same
            if asks_help is not None:
                from foracli.speed import outcache

                outcache.store(*asks_help, {}, recorder.encoded(), code=library_files())
            elif completing is not None:
                session.record_as(completing, recorder.encoded())
    sys.exit(code)


class Session:
    """One run's link from the app to the caches.

    `load` reads the knowledge base through the parsed-KB caches and keeps the
    signatures of what it read; `record` stores the bytes the app wrote under this
    run's key, with those signatures, so the next identical run can replay them.
    """

    def __init__(self, argv: list[str], environ: Mapping[str, str]) -> None:
        from foracli.speed import fastpath

        self.argv = argv
        self.environ = environ
        self.key = fastpath.cache_key(argv, environ)
        self.inputs: dict[str, Signature] | None = {}  # None: what was read is unknown
        self._stems_key: tuple[object, ...] | None = None
        self._stems: dict[str, str] = {}

    @property
    def replayable(self) -> bool:
        """Whether this run's output may be recorded for replay."""
        return self.key is not None

    def load(self, paths: Sequence[StrPath]) -> KnowledgeBase:
        """The knowledge base for the user's *paths*, through the caches."""
        from foracli.kb.files import layers_for
        from foracli.speed import kbcache

        kb, self.inputs = kbcache.load(layers_for(paths))
        self._keep_tables(paths, kb)
        from foracli.core.search import remember_stems_from

        remember_stems_from(self._earlier_stems)
        return kb

    def _earlier_stems(self) -> dict[str, str]:
        """The stems an earlier run kept (read when a search first needs a stem)."""
        from foracli.speed import kbcache

        self._stems_key = kbcache.stems_key()
        self._stems = kbcache.lookup_stems(self._stems_key)
        return self._stems

    def keep_stems(self) -> None:
        """Store the stems this run worked out, when there are new ones."""
        search = sys.modules.get("foracli.core.search")
        if search is None or self._stems_key is None:
            return
        known = search.known_stems()
        if len(known) > len(self._stems):
            from foracli.speed import kbcache

            kbcache.store_stems(self._stems_key, known)

    def _keep_tables(self, paths: Sequence[StrPath], kb: KnowledgeBase) -> None:
        """Store this knowledge base's completion tables once, so a first TAB needs no
        Typer (fastpath.complete_from_tables); only for the layers a TAB would name."""
        from foracli.kb.files import env_layers
        from foracli.speed import fastpath, outcache

        directory = outcache.cache_dir(self.environ)
        if self.inputs is None or directory is None or self.environ.get("FORACLI_NO_CACHE"):
            return
        layers = [os.path.abspath(p) for p in env_layers(self.environ)]
        if [os.path.abspath(p) for p in paths] != layers:
            return  # a --kb given on the line: completions for it go through Typer
        key = fastpath.table_key(layers)
        if outcache.lookup(directory, key, kind="tab") is not None:
            return
        import marshal

        from foracli.app import candidates
        from foracli.content import words

        data = marshal.dumps(candidates.tables(kb, words()))
        trees, files = watched(layers)
        outcache.store(directory, key, self.inputs, data, trees=trees, files=files, kind="tab")

    def record(self, output: bytes) -> None:
        """Keep *output* for a replay of this run, if everything it read is known."""
        self.keep_stems()
        if self.key is not None:
            self.record_as(self.key[:3], output)

    def record_as(self, found: tuple[str, tuple[object, ...], list[str]], output: bytes) -> None:
        """Keep *output* under *found* (cache folder, key, layers), with what this run
        read; not when the files could not all be stat'ed."""
        from foracli.speed import outcache

        if self.inputs is None:
            return
        directory, key, layers = found
        trees, files = watched(layers)
        outcache.store(
            directory, key, self.inputs, output, code=library_files(), trees=trees, files=files
        )


def library_files() -> list[str]:
    """Typer's, Rich's and the stemmer's files: an upgraded library may render or
    match differently."""
    files: list[str] = []
    for module in ("typer", "rich", "snowballstemmer"):
        loaded = sys.modules.get(module)
        if loaded is not None and getattr(loaded, "__file__", None):
            files.append(str(loaded.__file__))
    return files


def watched(layers: list[str]) -> tuple[list[str], list[str]]:
    """Where the knowledge base lives: whole folder trees, and single files (every
    file of every layer can change a name's meaning or a source). *layers* are
    absolute already (fastpath.cache_key)."""
    from foracli.kb import files as kb_files

    trees = [os.path.abspath(kb_files.shipped_dir())]
    files: list[str] = []
    for layer in layers:
        (trees if os.path.isdir(layer) else files).append(layer)
    return list(dict.fromkeys(trees)), list(dict.fromkeys(files))
