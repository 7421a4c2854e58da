"""A cache of the validated knowledge base, so a full run skips YAML parsing.

Keyed by the foracli and Python versions, foracli's own code, the layer paths and
every YAML file's size and mtime: any change re-reads the files. Only valid
knowledge bases are stored, atomically, in the private cache folder (pickle, so
the folder must be the user's own: it is created with mode 0700). A missing or
unwritable folder only makes loading slower.
"""

from __future__ import annotations

import contextlib
import os
import pickle
from collections.abc import Sequence
from pathlib import Path

from foracli import outcache
from foracli.model import KnowledgeBase

FORMAT = 1


def key(layers: Sequence[Path], files: Sequence[Path]) -> tuple[object, ...] | None:
    """The cache key for these files as they are now (take it before reading them)."""
    # abspath, not resolve(): a symlink loop must reach the loader, which reports it.
    return _key(
        [Path(os.path.abspath(p)) for p in layers], [Path(os.path.abspath(p)) for p in files]
    )


def _key(layers: Sequence[Path], files: Sequence[Path]) -> tuple[object, ...] | None:
    signatures = []
    for path in [*map(Path, outcache.package_files()), *files]:
        try:
            info = path.stat()
        except OSError:
            return None
        signatures.append((str(path), info.st_mtime_ns, info.st_size))
    base = outcache.make_key([], [str(p) for p in layers], {}, ())
    return (FORMAT, base, tuple(signatures))


def _path(key: tuple[object, ...]) -> str | None:
    directory = outcache.cache_dir(os.environ)
    if directory is None or os.environ.get("FORACLI_NO_CACHE"):
        return None
    layers = key[1][4]  # type: ignore[index]
    return os.path.join(directory, f"kb-{outcache.digest(layers)}.pickle")


def _private(directory: str) -> bool:
    # Unpickling runs code: only trust a folder that is ours and nobody else can write.
    try:
        info = os.stat(directory)
    except OSError:
        return False
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


def lookup(key: tuple[object, ...] | None) -> KnowledgeBase | None:
    """The cached knowledge base stored under *key*, if there is one."""
    path = _path(key) if key else None
    if path is None or not _private(os.path.dirname(path)):
        return None
    try:
        with open(path, "rb") as handle:
            stored_key, kb = pickle.load(handle)
    except Exception:  # a torn, old or foreign file is just a miss
        return None
    return kb if stored_key == key and isinstance(kb, KnowledgeBase) else None


def store(key: tuple[object, ...] | None, kb: KnowledgeBase) -> None:
    """Keep *kb* under *key* for the next run; failures are silent (the cache is optional)."""
    import tempfile

    path = _path(key) if key else None
    if path is None:
        return
    directory = os.path.dirname(path)
    temporary = None
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        if not _private(directory):
            return
        handle, temporary = tempfile.mkstemp(dir=directory, suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            pickle.dump((key, kb), stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except (OSError, pickle.PicklingError):
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
