"""A cache of rendered output, so a repeated command skips Typer, YAML and Rich.

Standard library only, and only cheap modules: this runs on every start.
An entry holds the exact bytes a full run wrote, the key they answer (arguments,
the knowledge-base layers, everything in the environment that changes output,
the foracli and Python versions and install), foracli's code files with their
signatures, and the name of an input list: the knowledge-base files and folders
the output was built from, with their signatures (see signature()), kept once per
knowledge-base state and shared by its entries. A hit requires every one of
those files unchanged, so a changed knowledge base, version, argument, width or
colour setting shows fresh output. Files are read and written through the trust
rule (speed.trust: a private folder, files owned by the user, opened relative to
the folder's descriptor) and sealed with a checksum, written atomically (temporary
file, then rename); a missing, unreadable, read-only, foreign or corrupt cache
only makes foracli slower, never wrong.
"""

from __future__ import annotations

import marshal
import os
import stat
import sys
import zlib

from foracli import __version__
from foracli.app.inputs import OUTPUT_ENVIRONMENT
from foracli.kb.files import PACKAGE_DIR, ships_in_package
from foracli.speed import trust

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs ~15 ms per start
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    Key = tuple[Any, ...]

FORMAT = 6  # bump when the entry layout changes
# Files a knowledge base needs before a watcher is used (speed.watch); kept here, so
# a run that stores an entry imports the watcher's module only when it needs one.
WATCH_MINIMUM = 500  # below this a stat call per file costs under ~2 ms
MANIFESTS_KEPT = 16  # input lists kept; an entry whose list was pruned is a miss
# mtime_ns, size, inode, ctime_ns: see signature().
Signature = tuple[int, int, int, int]
# Files changed this recently are not cached: mtimes move in clock ticks (up to 2 s
# on FAT), and an edit within the tick of the read would be invisible.
RACY_NS = 2_000_000_000


def cache_dir(environ: Mapping[str, str]) -> str | None:
    """FORACLI_CACHE_DIR, else $XDG_CACHE_HOME/foracli, else ~/.cache/foracli.

    Empty or relative XDG values are ignored, as the XDG spec says.
    """
    explicit = environ.get("FORACLI_CACHE_DIR", "")
    if explicit:
        try:
            return os.path.abspath(explicit)  # one folder, wherever later code runs
        except OSError:  # relative, and the working folder is gone
            return None
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
    environ: Mapping[str, str],
    terminal: Key,
) -> Key:
    """Everything a rendered output depends on, apart from file contents."""
    env = tuple(environ.get(name, "") for name in OUTPUT_ENVIRONMENT)
    stream = sys.stdout.encoding if sys.stdout else None  # ASCII boxes on a non-UTF stream
    program = sys.argv[0] if sys.argv else ""  # help's "Usage: ..." line is made from it
    # Which copy of foracli, and which shipped knowledge base it reads (a wheel's
    # foracli/data, else a checkout's data/): another checkout is another program.
    shipped = ships_in_package()
    return (
        FORMAT,
        __version__,
        PACKAGE_DIR,
        shipped,
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
    """A short, stable name for a value of strings, numbers and tuples (entries store
    the full key). repr, not marshal: marshal's bytes vary with reference counts."""
    text = repr(value).encode("utf-8", "backslashreplace")
    return f"{zlib.crc32(text) & 0xFFFFFFFF:08x}"


def signature(info: os.stat_result) -> Signature:
    """What tells a file's versions apart: mtime and size, and inode and ctime, which
    change when another file is renamed over it or its mtime is set back."""
    return (info.st_mtime_ns, info.st_size, info.st_ino, info.st_ctime_ns)


def current(paths: Sequence[str]) -> list[Signature] | None:
    """The signature of each of *paths* now; None when one cannot be stat'ed."""
    try:
        return [signature(os.stat(path)) for path in paths]
    except OSError:
        return None


def _entry_name(key: Key, kind: str = "out") -> str:
    # kind: "out" for a command's output, "tab" for completion tables (not an output).
    return f"{kind}-{digest(key)}.marshal"


def lookup(directory: str, key: Key, kind: str = "out") -> bytes | None:
    """The cached output for *key* if every file it was built from is unchanged."""
    folder = trust.open_folder(directory)
    if folder is None:
        return None
    with folder:
        return _lookup(folder, key, kind)


def _lookup(folder: trust.Folder, key: Key, kind: str) -> bytes | None:
    name = _entry_name(key, kind)
    try:
        sealed = trust.unseal(folder.read(name))
        if sealed is None:
            return None  # missing, foreign, torn or corrupt: just a miss
        head = marshal.loads(sealed)
        stored_key, code_paths, code_signatures, watched, output, manifest = head
        if watched is not None:
            socket, answer, trees, files = watched
        if stored_key != key or not isinstance(output, bytes):
            return None
        if not _unchanged(code_paths, code_signatures):
            return None
        if watched is not None:
            from foracli.speed import watch

            now = None
            if watch_minimum(os.environ) is not None:
                now = watch.ask(socket, watch.question(trees, files))
                if now == answer:
                    return output  # vouched for: the input list is never read
                if now is None:  # the watcher stopped (idle a long time): start one
                    started = watch.ensure(folder.path, trees, files)
                    now = started[1] if started else None
            # Asked before the stat calls below: a later change moves the count.
            # No watcher at all: the entry is rewritten to rely on stat calls.
            watched = (socket, now, trees, files) if now is not None else None
        paths, signatures = _read_manifest(folder, manifest)
    except (OSError, EOFError, ValueError, TypeError):
        return None  # from another layout: just a miss
    if not _unchanged(paths, signatures):
        return None
    if watched != head[3]:  # vouched for by stat calls: keep the watcher's new count
        _write(folder, name, (*head[:3], watched, output, manifest))
    return output


def _manifest_name(data: bytes) -> str:
    """A 64-bit content address for an input list (zlib's two checksums: no import)."""
    return f"{zlib.crc32(data) & 0xFFFFFFFF:08x}{zlib.adler32(data) & 0xFFFFFFFF:08x}"


def _read_manifest(folder: trust.Folder, name: str) -> tuple[str, bytes]:
    """The (paths, signatures) stored under content address *name*; ValueError when the
    file is not exactly what the name says (missing, torn, replaced, another layout)."""
    if not isinstance(name, str):
        raise ValueError("input list name is not text")
    data = folder.read(f"in-{name}.marshal")
    if data is None or _manifest_name(data) != name:
        raise ValueError("input list does not match its name")
    paths, signatures = marshal.loads(data)
    return paths, signatures


def _unchanged(paths: str, signatures: bytes) -> bool:
    """Whether each of the NUL-separated *paths* still has its signature."""
    if not isinstance(paths, str) or not isinstance(signatures, bytes):
        return False
    if not paths:
        return not signatures
    # Paths in one string and signatures in one int64 array: a 10,000-file entry
    # then loads in a few milliseconds instead of building 30,000 objects. Read as a
    # memoryview: the array module imports collections.abc, 1.4 ms of a 14 ms replay.
    if len(signatures) % 8:
        return False
    expected = memoryview(signatures).cast("q")
    now = current(paths.split("\0"))
    return now is not None and expected.tolist() == [n for sig in now for n in sig]


def store(
    directory: str,
    key: Key,
    inputs: dict[str, Signature],
    output: bytes,
    *,
    code: Sequence[str] = (),
    trees: Sequence[str] = (),
    files: Sequence[str] = (),
    kind: str = "out",
) -> None:
    """Remember *output* for *key*; never fails loudly.

    *inputs* maps each knowledge-base file and folder the output was built from to
    its signature taken before it was read; *code* names library files whose
    upgrade could change the output. *trees* and *files* are the knowledge-base
    layers, for a watcher when the inputs are many.
    """
    code_paths = [*package_files(), *code]
    code_now = current(code_paths)
    if code_now is None:
        return  # a file vanished while we rendered: do not cache
    code_signatures = _int64s([n for sig in code_now for n in sig])
    watched = None
    if _worth_watching(len(inputs)):
        from foracli.speed import watch

        started = watch.ensure(directory, trees, files)
        if started is not None:
            watched = (*started, tuple(trees), tuple(files))
    # Checked after the watcher's answer: an edit since the files were read either
    # shows here or moves the watcher's count.
    numbers: list[int] = []
    for path, before in inputs.items():
        try:
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode) or (stat.S_ISREG(info.st_mode) and info.st_nlink > 1):
                watched = None  # changes through another name may not reach the watcher
                info = os.stat(path)
        except OSError:
            return
        if signature(info) != before:
            return  # changed while we rendered: the output may be older than the file
        numbers.extend(before)
    # The input list (every knowledge-base file and folder with its signature) is the
    # same for every output of one knowledge-base state, and grows with it: it is kept
    # once, content-addressed, and an entry names it, so entries stay small.
    listed = marshal.dumps(("\0".join(inputs), _int64s(numbers)))
    manifest = _manifest_name(listed)
    head = (key, "\0".join(code_paths), code_signatures, watched, output, manifest)
    folder = trust.open_folder(directory, create=True)
    if folder is None:
        return
    with folder:
        folder.tidy()  # what killed runs left behind
        target = f"in-{manifest}.marshal"
        if folder.lstat(target) is None:
            folder.write(target, listed)
            _prune_manifests(folder, keep=target)
        _write(folder, _entry_name(key, kind), head)


def _int64s(numbers: list[int]) -> bytes:
    """*numbers* as native int64s, as _unchanged reads them back (through a memoryview,
    not the array module: see there)."""
    out = memoryview(bytearray(8 * len(numbers))).cast("q")
    for at, number in enumerate(numbers):
        out[at] = number
    return out.tobytes()


def _worth_watching(count: int) -> bool:
    least = watch_minimum(os.environ)
    return least is not None and count >= least


def watch_minimum(environ: Mapping[str, str]) -> int | None:
    """How many files a knowledge base needs before a watcher is used; None: never."""
    if not sys.platform.startswith("linux") or environ.get("FORACLI_WATCH", "1") == "0":
        return None
    try:
        return max(1, int(environ.get("FORACLI_WATCH_MIN", "")))
    except ValueError:
        return WATCH_MINIMUM


def _write(folder: trust.Folder, name: str, head: tuple[Any, ...]) -> None:
    """Write an entry, sealed with its checksum, atomically."""
    try:
        data = marshal.dumps(head)
    except ValueError:
        return
    folder.write(name, trust.seal(data))


def _prune_manifests(folder: trust.Folder, *, keep: str) -> None:
    """Keep the MANIFESTS_KEPT newest input lists (*keep*, just written, among them): an
    entry naming a pruned one is a miss, so pruning only ever costs a full run."""
    dated = []
    for name in folder.names():
        info = folder.lstat(name) if name.startswith("in-") and name != keep else None
        if info is not None:
            dated.append((info.st_mtime_ns, name))
    if len(dated) < MANIFESTS_KEPT:
        return
    for _mtime, name in sorted(dated)[: len(dated) - (MANIFESTS_KEPT - 1)]:
        folder.remove(name)


def package_files() -> list[str]:
    """Every folder and file of the installed package, walked (never a hand-kept list):
    an edited or added module anywhere in foracli must not replay old output. Folders
    count because their mtimes move when a module is added or removed. Bytecode
    caches and the shipped knowledge base (an input of its own) are left out."""
    found = []
    for folder, subfolders, names in os.walk(PACKAGE_DIR):
        subfolders[:] = sorted(
            n for n in subfolders if n != "__pycache__" and (folder, n) != (PACKAGE_DIR, "data")
        )
        found += [folder, *(os.path.join(folder, n) for n in sorted(names))]
    return found


def snapshot(
    layers: Sequence[str], files: Sequence[str]
) -> tuple[dict[str, Signature], frozenset[str]] | None:
    """See _snapshot; None also when a layer path holds "..", which the kernel
    resolves from a symlink's target while abspath drops it as text: the files
    checked would not be the files read."""
    if any(".." in path.split(os.sep) for path in layers):
        return None
    return _snapshot(list(map(os.path.abspath, layers)), list(map(os.path.abspath, files)))


def _snapshot(
    layers: Sequence[str], files: Sequence[str]
) -> tuple[dict[str, Signature], frozenset[str]] | None:
    """The signature of every folder of the *layers* and of each of *files*, and the
    paths among them changed within RACY_NS of now.

    Taken before the files are read, so that an edit made while a run reads and
    renders is never stored as current (see store). Folders count because their
    mtime moves when a file is added, removed or renamed. A path changed just now
    is not cached: a second same-size edit could land in the same mtime tick and
    go unseen (git's "racy clean" problem). None: a path cannot be stat'ed (the
    run reports it).
    """
    import time

    folders = []
    unreadable: list[OSError] = []
    for layer in layers:
        if os.path.isdir(layer):
            # A folder that cannot be listed is missing from the walk, and making it
            # readable again moves no mtime the entry would hold: do not cache.
            folders += [f for f, _dirs, _names in os.walk(layer, onerror=unreadable.append)]
    if unreadable:
        return None
    found = {}
    recent = []
    since = time.time_ns() - RACY_NS
    try:
        for path in folders:  # a folder's mtime is what moves with its entries
            info = os.stat(path)
            found[path] = signature(info)
            if info.st_mtime_ns >= since:
                recent.append(path)
        for path in files:
            info = os.stat(path)
            found[path] = signature(info)
            # ctime too: cp -a or tar may give new contents an old mtime.
            if max(info.st_mtime_ns, info.st_ctime_ns) >= since:
                recent.append(path)
    except OSError:
        return None
    return found, frozenset(recent)
