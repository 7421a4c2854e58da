"""Caches of the parsed knowledge base, so a full run skips YAML parsing.

Two pickles per set of layers, in the private cache folder:

- the whole validated knowledge base, keyed by the foracli and Python versions,
  foracli's own code, the layer paths and every file's signature (see
  outcache.signature): used when nothing has changed. Each procedure and source
  is pickled on its own and unpickled only when a run asks for it (_Lazy), with
  the name index stored beside them;
- each clean file's parsed contents, kept with that file's signature: after an
  edit, only the edited files are parsed again.

Only valid knowledge bases and problem-free files are stored, atomically and
sealed with a checksum. Unpickling runs code, so the pickles are read only
through the trust rule (speed.trust: opened relative to a private folder's
descriptor, then checked). A missing, unwritable, foreign or corrupt cache only
makes loading slower.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence

from foracli.core.model import KnowledgeBase
from foracli.kb import files as kb_files
from foracli.speed import outcache, trust

try:  # the C unpickler itself: pickle.py and what it imports cost ~1 ms of a start
    from _pickle import loads
except ImportError:  # another Python
    from pickle import loads

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from typing import Any

    from foracli.kb.files import StrPath

FORMAT = 6  # bump when what is pickled changes


def code_key(layers: Sequence[StrPath]) -> tuple[object, ...] | None:
    """Everything but the knowledge-base files: versions, foracli's own code and the
    layer paths. Take it once per load; key, lookup_files and store_files use it."""
    paths = outcache.package_files()
    signatures = outcache.current(paths)
    if signatures is None:
        return None
    code = tuple(zip(paths, signatures, strict=True))
    return (FORMAT, outcache.make_key([], _as_given(layers), {}, ()), code)


def key(
    code: tuple[object, ...] | None, signatures: Mapping[str, outcache.Signature]
) -> tuple[object, ...] | None:
    """The whole knowledge base's key: *code* (see code_key) and the signature of every
    file and folder, taken before reading."""
    return None if code is None else (*code, tuple(sorted(signatures.items())))


def _as_given(layers: Sequence[StrPath]) -> list[str]:
    # The model keeps paths as the user wrote them (messages show them so), so a
    # relative path read from another folder is another knowledge base.
    paths = [str(p) for p in layers]
    if not all(map(os.path.isabs, paths)):
        try:
            paths.append(os.getcwd())
        except OSError:  # the folder we run in is gone: its relative paths fail anyway
            paths.append("")
    return paths


def _path(prefix: str, layers: Sequence[StrPath]) -> str | None:
    directory = outcache.cache_dir(os.environ)
    if directory is None or os.environ.get("FORACLI_NO_CACHE"):
        return None
    name = outcache.digest(tuple(_as_given(layers)))
    return os.path.join(directory, f"{prefix}-{name}.pickle")


def _load(
    path: str | None, wanted: tuple[object, ...] | None, decode: Callable[[Any], Any] = loads
) -> Any:
    """The value pickled (or, with *decode*, written otherwise) at *path* under
    *wanted*, or None."""
    if path is None or wanted is None:
        return None
    folder = trust.open_folder(os.path.dirname(path))
    if folder is None:
        return None
    with folder:
        data = trust.unseal(folder.read(os.path.basename(path)))
    if data is None:
        return None  # missing, foreign, torn or corrupt
    import gc

    # Unpickling builds hundreds of thousands of small objects; the cyclic
    # collector would walk them all again and again (3-4x slower at 10,000 files).
    collecting = gc.isenabled()
    gc.disable()
    try:
        stored_key, value = decode(data)
    except Exception:  # a file from another layout is just a miss
        return None
    finally:
        if collecting:
            gc.enable()
    return value if stored_key == wanted else None


def _store(
    path: str | None,
    stored_key: tuple[object, ...] | None,
    value: object,
    encode: Callable[[Any], bytes] | None = None,
) -> None:
    """Pickle (or, with *encode*, write otherwise) *value* under *stored_key* at
    *path*; failures are silent."""
    if path is None or stored_key is None:
        return
    try:
        if encode is not None:
            data = encode((stored_key, value))
        else:
            import pickle

            data = pickle.dumps((stored_key, value), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # what cannot be pickled or marshalled is not kept
        return
    folder = trust.open_folder(os.path.dirname(path), create=True)
    if folder is None:
        return
    with folder:
        folder.tidy()  # what killed runs left behind
        folder.write(os.path.basename(path), trust.seal(data))


class _Lazy(Mapping[str, "Any"]):
    """A mapping whose values are unpickled the first time each is asked for: a run
    that shows one procedure of 10,000 reads one (and every key), not all of them."""

    def __init__(self, pickled: dict[str, bytes]) -> None:
        self._pickled = pickled
        self._loaded: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        try:
            return self._loaded[key]
        except KeyError:
            value = self._loaded[key] = loads(self._pickled[key])
            return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._pickled)

    def __len__(self) -> int:
        return len(self._pickled)

    def __contains__(self, key: object) -> bool:
        return key in self._pickled


def lookup(layers: Sequence[StrPath], wanted: tuple[object, ...] | None) -> KnowledgeBase | None:
    """The whole knowledge base stored under *wanted* (see key), if there is one."""
    stored = _load(_path("kb", layers), wanted)
    if not isinstance(stored, dict) or stored.get("format") != FORMAT:
        return None
    try:
        return KnowledgeBase(
            _Lazy(stored["procedures"]),
            _Lazy(stored["sources"]),
            stored["glossary"],
            names=stored["names"],
            asking=stored["asking"],
        )
    except (KeyError, TypeError):
        return None


def store(
    layers: Sequence[StrPath], stored_key: tuple[object, ...] | None, kb: KnowledgeBase
) -> None:
    """Keep *kb* under *stored_key* for the next run: each procedure and source pickled
    on its own, and the name index worked out ahead, so a later run reads only what
    it shows."""
    import pickle

    from foracli.core.query import procedure_names

    def each(items: Mapping[str, object]) -> dict[str, bytes]:
        return {k: pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL) for k, v in items.items()}

    value = {
        "format": FORMAT,
        "procedures": each(kb.procedures),
        "sources": each(kb.sources),
        "glossary": dict(kb.glossary),
        "asking": kb.asking,
        "names": procedure_names(kb),
    }
    _store(_path("kb", layers), stored_key, value)


def stems_key() -> tuple[object, ...] | None:
    """What stems depend on: foracli's code and the stemmer's own files (found without
    importing it, which costs more than reading the stems)."""
    spec = _find_spec("snowballstemmer")
    if spec is None or spec.origin is None:
        return None
    folder = os.path.dirname(spec.origin)
    paths = [*outcache.package_files(), os.path.join(folder, "english_stemmer.py"), spec.origin]
    signatures = outcache.current(paths)
    if signatures is None:
        return None
    return (FORMAT, tuple(zip(paths, signatures, strict=True)))


def _find_spec(name: str) -> Any:
    """importlib.util.find_spec for a top-level module, through the finders already
    loaded: importing importlib.util (with importlib._abc and contextlib) costs ~1 ms."""
    loaded = sys.modules.get(name)
    if loaded is not None:
        return getattr(loaded, "__spec__", None)
    for finder in sys.meta_path:
        find = getattr(finder, "find_spec", None)
        spec = find(name, None) if find is not None else None
        if spec is not None:
            return spec
    return None


def lookup_stems(wanted: tuple[object, ...] | None) -> dict[str, str]:
    """The stems an earlier run with the same stemmer kept (marshalled: plain strings
    need no unpickler, and a new search word must not import pickle to keep its own)."""
    import marshal

    found = _load(_stems_path(), wanted, marshal.loads)
    return found if isinstance(found, dict) else {}


def store_stems(wanted: tuple[object, ...] | None, table: dict[str, str]) -> None:
    """Keep *table* for the next run."""
    import marshal

    _store(_stems_path(), wanted, table, marshal.dumps)


def _stems_path() -> str | None:
    directory = outcache.cache_dir(os.environ)
    if directory is None or os.environ.get("FORACLI_NO_CACHE"):
        return None
    return os.path.join(directory, "stems.marshal")


def lookup_files(layers: Sequence[StrPath], code: tuple[object, ...] | None) -> dict[str, Any]:
    """Each clean file's parsed contents from an earlier run, by the path as given (the
    loader checks each one's signature before using it)."""
    found = _load(_path("files", layers), code)
    return found if isinstance(found, dict) else {}


def store_files(
    layers: Sequence[StrPath], code: tuple[object, ...] | None, parsed: Mapping[str, Any]
) -> None:
    """Keep each clean file's parsed contents for the next run."""
    _store(_path("files", layers), code, dict(parsed))


def load(layers: Sequence[StrPath]) -> tuple[KnowledgeBase, dict[str, outcache.Signature] | None]:
    """The knowledge base of *layers*, through the caches, and the signatures of every
    folder and file it was built from, taken before reading (None: not cacheable, as
    when a file changed within the last moments or could not be stat'ed)."""
    # Plain strings, not Paths: at 10,000 files building Path objects alone costs ~40 ms.
    files = [path for root in layers for path in kb_files.yaml_files(str(root))]
    # Taken before reading: an edit made meanwhile then misses every cache.
    taken = outcache.snapshot([str(p) for p in layers], files)
    signatures, recent = taken or ({}, frozenset())
    inputs = signatures if taken and not recent else None
    code = code_key(layers)
    wanted = key(code, signatures) if inputs else None
    cached = lookup(layers, wanted)
    if cached is not None:
        return cached, inputs
    # Files unchanged since an earlier run are not parsed again: after one edit
    # to a 10,000-file knowledge base, only that file is.
    earlier = lookup_files(layers, code)
    settled = {path: signature for path, signature in signatures.items() if path not in recent}
    from foracli.kb import loader  # only now: a cached knowledge base needs no loader, no PyYAML

    reuse = loader.Reuse(earlier, settled)
    kb = loader.read_layers(layers, reuse).kb
    store(layers, wanted, kb)
    parsed = reuse.parsed
    if parsed.keys() != earlier.keys() or any(parsed[p] is not earlier[p] for p in parsed):
        store_files(layers, code, parsed)
    return kb, inputs
