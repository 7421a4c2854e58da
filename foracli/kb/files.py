"""The knowledge base's file rules: which files count, where the shipped one lives,
how a folder is walked, and how FORACLI_KB names layers.

Standard library only, and only `os`: the replay path reads these rules too.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from os import PathLike

    # A layer as given: plain strings on the way to the caches (pathlib and what it
    # imports cost ~3 ms of a start), Paths in the loader.
    StrPath = str | PathLike[str]

SUFFIXES = (".yaml", ".yml")
# The installed package's folder (foracli/), whatever subpackage asks.
PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_WHEEL_DATA = os.path.join(PACKAGE_DIR, "data")


def shipped_dir() -> str:
    """The shipped knowledge base: in the wheel, or the top-level data/ of a checkout."""
    if os.path.isdir(_WHEEL_DATA):
        return _WHEEL_DATA
    return os.path.join(os.path.dirname(PACKAGE_DIR), "data")


def ships_in_package() -> bool:
    """Whether the shipped knowledge base is package data (a wheel) or a checkout's data/."""
    return os.path.isdir(_WHEEL_DATA)


def env_layers(environ: Mapping[str, str]) -> list[str]:
    """FORACLI_KB's paths; empty entries (from "$FORACLI_KB:/x") are skipped, not '.'."""
    return [p for p in environ.get("FORACLI_KB", "").split(os.pathsep) if p]


def is_yaml(name: str) -> bool:
    """Whether a file called *name* is a knowledge-base file (by its suffix)."""
    dot = name.rfind(".")
    return 0 < dot < len(name) - 1 and name[dot:] in SUFFIXES


def yaml_files(root: str) -> list[str]:
    """*root* itself if it is not a folder, else every YAML file below it, in a stable order.

    Symlinks are kept even when broken, looping or pointing at a folder: reading
    them reports why. Linked folders are not entered.
    """
    if not os.path.isdir(root):
        return [root]
    found = []
    # os.walk, not Path.rglob: the folder listing says what each entry is, where
    # rglob stat()s every file (a second or so at 10,000 files).
    for folder, subfolders, names in os.walk(root):
        linked = [n for n in subfolders if os.path.islink(os.path.join(folder, n))]
        found += [(folder, n) for n in [*names, *linked] if is_yaml(n)]
    found.sort(key=lambda pair: (*pair[0].split(os.sep), pair[1]))
    return [os.path.join(folder, name) for folder, name in found]


def reason(error: OSError) -> str:
    """The system's reason for *error*, in a message's lower case."""
    text = error.strerror or str(error)
    return text[:1].lower() + text[1:]


def layers_for(paths: Sequence[StrPath] = (), *, include_shipped: bool = True) -> list[str]:
    """The shipped knowledge base, then each of *paths*; PathNotFoundError for a missing one.

    Here, not in the loader, so that a run served from the parsed-KB cache never imports
    the loader and PyYAML."""
    from foracli.core.errors import PathNotFoundError

    for root in paths:
        try:
            os.stat(root)
        except FileNotFoundError:
            raise PathNotFoundError(os.fspath(root)) from None
        except OSError as error:  # a folder we may not enter, a symlink loop
            raise PathNotFoundError(os.fspath(root), reason(error)) from None
    given = [as_path(p) for p in paths]
    return [shipped_dir(), *given] if include_shipped else given


def as_path(path: StrPath) -> str:
    """*path* as `str(pathlib.Path(path))` writes it, without importing pathlib: no
    empty or "." parts and no trailing slash ("./kb/" is "kb"); ".." is kept. The
    caches and the loader (which reads Paths) then name every file alike."""
    text = os.fspath(path)
    if os.sep != "/" or os.altsep:  # not POSIX: pathlib knows the drive rules
        from pathlib import Path

        return str(Path(text))
    # POSIX keeps exactly two leading slashes; one, or three and more, are one.
    lead = "//" if text[:2] == "//" and text[2:3] != "/" else "/" if text[:1] == "/" else ""
    return lead + "/".join(p for p in text.split("/") if p and p != ".") or "."
