"""A cache of the validated knowledge base, so a full run skips YAML parsing.

Keyed by the foracli and Python versions, foracli's own code, the layer paths and
every YAML file's size and mtime: any change re-reads the files. Only valid
knowledge bases are stored, atomically, in the private cache folder (pickle, so
the folder must be the user's own: it is created with mode 0700). A missing or
unwritable folder only makes loading slower.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Sequence
from pathlib import Path

from foracli import outcache
from foracli.model import KnowledgeBase

FORMAT = 1


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


def lookup(layers: Sequence[Path], files: Sequence[Path]) -> KnowledgeBase | None:
    """The cached knowledge base for exactly these files, if nothing changed."""
    key = _key(layers, files)
    path = _path(key) if key else None
    if path is None:
        return None
    try:
        with open(path, "rb") as handle:
            stored_key, kb = pickle.load(handle)
    except Exception:  # a torn, old or foreign file is just a miss
        return None
    return kb if stored_key == key and isinstance(kb, KnowledgeBase) else None


def store(layers: Sequence[Path], files: Sequence[Path], kb: KnowledgeBase) -> None:
    """Keep *kb* for the next run; failures are silent (the cache is optional)."""
    key = _key(layers, files)
    path = _path(key) if key else None
    if path is None:
        return
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        with open(temporary, "wb") as handle:
            pickle.dump((key, kb), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except (OSError, pickle.PicklingError):
        try:  # noqa: SIM105 - mirrors outcache.store
            os.unlink(temporary)
        except OSError:
            pass
