"""Output entries name a shared, content-addressed input list instead of repeating it,
so an entry's size does not grow with the knowledge base; a bad list is only a miss."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from foracli.speed import outcache

OLD = 1_600_000_000_000_000_000


def knowledge_base(folder: Path, files: int) -> dict[str, outcache.Signature]:
    """*files* settled files and their signatures, as a load would have taken them."""
    folder.mkdir()
    for n in range(files):
        path = folder / f"p{n:05}.yaml"
        path.write_text(f"id: p{n}\n", encoding="utf-8")
        os.utime(path, ns=(OLD, OLD))
    os.utime(folder, ns=(OLD, OLD))
    taken = outcache.snapshot([str(folder)], [str(p) for p in sorted(folder.iterdir())])
    assert taken is not None
    return taken[0]


@pytest.fixture(autouse=True)
def _no_watcher(monkeypatch):
    monkeypatch.setenv("FORACLI_WATCH", "0")


def entry_size(directory: Path) -> int:
    (entry,) = directory.glob("out-*.marshal")
    return entry.stat().st_size


def test_an_entry_does_not_grow_with_the_knowledge_base(tmp_path):
    """10 files or 2,000: the entry is the same size; the input list is kept once."""
    sizes = []
    for files in (10, 2000):
        cache = tmp_path / f"cache{files}"
        inputs = knowledge_base(tmp_path / f"kb{files}", files)
        outcache.store(str(cache), ("k",), inputs, b"page\n")
        assert outcache.lookup(str(cache), ("k",)) == b"page\n"
        sizes.append(entry_size(cache))
        outcache.store(str(cache), ("k2",), inputs, b"other\n")
        assert len(list(cache.glob("in-*.marshal"))) == 1  # shared by both entries
    assert sizes[0] == sizes[1]


def test_a_changed_file_is_still_a_miss(tmp_path):
    """The shared list still carries every signature: an edit anywhere is a miss."""
    cache = tmp_path / "cache"
    inputs = knowledge_base(tmp_path / "kb", 50)
    outcache.store(str(cache), ("k",), inputs, b"page\n")
    edited = tmp_path / "kb" / "p00031.yaml"
    edited.write_text("id: changed\n", encoding="utf-8")
    os.utime(edited, ns=(OLD, OLD))
    assert outcache.lookup(str(cache), ("k",)) is None


@pytest.mark.parametrize("damage", ["truncate", "swap", "delete"])
def test_a_torn_swapped_or_pruned_list_is_a_miss(tmp_path, damage):
    """A list that is not exactly what its name says, or is gone, never vouches."""
    cache = tmp_path / "cache"
    outcache.store(str(cache), ("a",), knowledge_base(tmp_path / "kb1", 5), b"one\n")
    outcache.store(str(cache), ("b",), knowledge_base(tmp_path / "kb2", 7), b"two\n")
    first, second = sorted(cache.glob("in-*.marshal"))
    if damage == "truncate":
        first.write_bytes(first.read_bytes()[:-3])
        second.write_bytes(second.read_bytes()[:-3])
    elif damage == "swap":
        data = first.read_bytes()
        first.write_bytes(second.read_bytes())
        second.write_bytes(data)
    else:
        first.unlink()
        second.unlink()
    assert outcache.lookup(str(cache), ("a",)) is None
    assert outcache.lookup(str(cache), ("b",)) is None


def test_old_lists_are_pruned(tmp_path):
    """Each knowledge-base state adds a list; only the newest MANIFESTS_KEPT stay."""
    cache = tmp_path / "cache"
    for n in range(outcache.MANIFESTS_KEPT + 4):
        outcache.store(str(cache), (n,), knowledge_base(tmp_path / f"kb{n}", n + 1), b"x\n")
    assert len(list(cache.glob("in-*.marshal"))) == outcache.MANIFESTS_KEPT
    last = outcache.MANIFESTS_KEPT + 3
    assert outcache.lookup(str(cache), (last,)) == b"x\n"
