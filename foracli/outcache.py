"""A cache of rendered output, so a repeated command skips Typer, YAML and Rich.

Standard library only, and only cheap modules: this runs on every start.
An entry holds the exact bytes a full run wrote, the key they answer (arguments,
the knowledge-base layers, everything in the environment that changes output,
the foracli and Python versions and install) and the files they were built from
with their size and mtime. A hit requires every one of those files unchanged,
so a changed knowledge base, version, argument, width or colour setting shows
fresh output (as far as size and mtime reveal a change). Entries are written
atomically (temporary file, then rename); a missing, unreadable or read-only
cache folder only makes foracli slower, never wrong.
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib
from array import array

from foracli import __version__

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs ~15 ms per start
if TYPE_CHECKING:
    from typing import Any

    Key = tuple[Any, ...]

FORMAT = 2  # bump when the entry layout changes
PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def cache_dir(environ: dict[str, str] | os._Environ[str]) -> str | None:
    """FORACLI_CACHE_DIR, else $XDG_CACHE_HOME/foracli, else ~/.cache/foracli.

    Empty or relative XDG values are ignored, as the XDG spec says.
    """
    explicit = environ.get("FORACLI_CACHE_DIR", "")
    if explicit:
        return explicit
    xdg = environ.get("XDG_CACHE_HOME", "")
    if xdg and os.path.isabs(xdg):
        return os.path.join(xdg, "foracli")
    home = os.path.expanduser("~")
    if not home or home == "~":
        return None
    return os.path.join(home, ".cache", "foracli")


def make_key(
    argv: list[str],
    layers: list[str],
    environ: dict[str, str] | os._Environ[str],
    terminal: Key,
) -> Key:
    """Everything a rendered output depends on, apart from file contents."""
    env = tuple(
        environ.get(name, "")
        for name in (
            "NO_COLOR",
            "FORCE_COLOR",
            "TERM",
            "COLORTERM",
            "COLUMNS",
            "LINES",
            "TTY_COMPATIBLE",
            "TTY_INTERACTIVE",
            # Typer's help and Rich read these too.
            "TERMINAL_WIDTH",
            "PY_COLORS",
            "GITHUB_ACTIONS",
            "TYPER_USE_RICH",
            "_TYPER_FORCE_DISABLE_TERMINAL",
        )
    )
    stream = sys.stdout.encoding if sys.stdout else None  # ASCII boxes on a non-UTF stream
    program = os.path.basename(sys.argv[0]) if sys.argv else ""  # help's "Usage: ..." line
    return (
        FORMAT,
        __version__,
        sys.version,
        sys.prefix,
        program,
        stream,
        tuple(argv),
        tuple(layers),
        env,
        terminal,
    )


def digest(value: Key) -> str:
    """A short, stable name for a marshallable value (entries store the full key)."""
    return f"{zlib.crc32(marshal.dumps(value)) & 0xFFFFFFFF:08x}"


def _entry_path(directory: str, key: Key) -> str:
    return os.path.join(directory, f"out-{digest(key)}.marshal")


def lookup(directory: str, key: Key) -> bytes | None:
    """The cached output for *key* if every file it was built from is unchanged."""
    try:
        with open(_entry_path(directory, key), "rb") as handle:
            stored_key, paths, signatures, output = marshal.load(handle)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if stored_key != key:
        return None
    # Paths in one string and signatures in one int64 array: a 10,000-file search
    # entry then loads in a few milliseconds instead of building 30,000 objects.
    expected = array("q")
    expected.frombytes(signatures)
    stat = os.stat
    wanted = iter(expected)
    try:
        for path in paths.split("\0"):
            info = stat(path)
            if info.st_mtime_ns != next(wanted) or info.st_size != next(wanted):
                return None
    except (OSError, StopIteration):
        return None
    return output  # type: ignore[no-any-return]


def store(directory: str, key: Key, files: list[str], output: bytes) -> None:
    """Remember *output* for *key*, built from *files*; never fails loudly."""
    paths = [*package_files(), *files]
    signatures = array("q")
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            return  # a file vanished while we rendered: do not cache
        signatures.extend((info.st_mtime_ns, info.st_size))
    target = _entry_path(directory, key)
    temporary = f"{target}.{os.getpid()}.tmp"
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        with open(temporary, "wb") as handle:
            marshal.dump((key, "\0".join(paths), signatures.tobytes(), output), handle)
        os.replace(temporary, target)
    except OSError:
        try:  # noqa: SIM105 - contextlib would cost an import on every start
            os.unlink(temporary)
        except OSError:
            pass


def package_files() -> list[str]:
    # foracli's own code is part of every key: an edited renderer must not replay old output.
    found = []
    for folder in (PACKAGE_DIR, os.path.join(PACKAGE_DIR, "render")):
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        found += [os.path.join(folder, n) for n in names if n.endswith(".py")]
    return found


def folder_files(root: str) -> list[str]:
    """Every folder under *root* (their mtimes change when files are added or removed)
    and every YAML file; used when an output depends on the whole knowledge base."""
    found = []
    for folder, _dirs, names in os.walk(root):
        found.append(folder)
        found += [os.path.join(folder, n) for n in sorted(names) if n.endswith((".yaml", ".yml"))]
    return found


def folders(root: str) -> list[str]:
    """Every folder under *root*, for outputs that depend on a few files inside it."""
    if not os.path.isdir(root):
        return [root]
    return [folder for folder, _dirs, _names in os.walk(root)]
