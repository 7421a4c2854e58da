"""The parsed-knowledge-base caches: an unchanged knowledge base is not parsed at
all, an edit re-parses only the edited file, and the result (or the error) is the
same as a load with every cache off."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from foracli.core.errors import KnowledgeBaseError
from foracli.kb import files, loader
from foracli.speed import kbcache

OLD = 1_600_000_000_000_000_000  # long past: nothing counts as just edited


@pytest.fixture
def kb(aged_kb, tmp_path, monkeypatch):
    """A settled copy of the fixture KB, a private cache, and a list of parsed files."""
    folder = aged_kb
    monkeypatch.setenv("FORACLI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("FORACLI_NO_CACHE", raising=False)
    parsed: list[str] = []
    real = loader.read_node

    def counting(path, problems):
        parsed.append(Path(path).name)
        return real(path, problems)

    monkeypatch.setattr(loader, "read_node", counting)
    return folder, parsed


def edit(path: Path, old: str, new: str, *, tick: int = 1) -> None:
    """Change *path* in place and give it a settled, different mtime."""
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    os.utime(path, ns=(OLD, OLD + tick))


def load(folder: Path):
    """Through the speed layer's caches, as the installed command loads."""
    return kbcache.load(files.layers_for([folder], include_shipped=False))[0]


def cold(folder: Path, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setenv("FORACLI_NO_CACHE", "1")
        return load(folder)


def same_error(folder: Path, monkeypatch, parsed: list[str] | None = None) -> str:
    """Load with the caches and without: the same problems, in order; the first one.
    *parsed*, if given, must list the files the cached load parsed."""
    if parsed is not None:
        parsed.clear()
    with pytest.raises(KnowledgeBaseError) as cached:
        load(folder)
    reparsed = list(parsed or [])
    with pytest.raises(KnowledgeBaseError) as uncached:
        cold(folder, monkeypatch)
    assert [str(p) for p in cached.value.problems] == [str(p) for p in uncached.value.problems]
    if parsed is not None:
        parsed[:] = reparsed
    return str(cached.value.problems[0])


def test_an_edit_reparses_only_that_file(kb, monkeypatch):
    folder, parsed = kb
    first = load(folder)
    assert sorted(parsed) == ["glossary.yaml", "keyhole.yaml", "open-op.yaml", "sources.yaml"]
    parsed.clear()
    assert load(folder) == first
    assert parsed == []  # the whole knowledge base came from the cache
    edit(folder / "procedures" / "open-op.yaml", "name: Open surgery", "name: Open sugrery")
    second = load(folder)
    assert parsed == ["open-op.yaml"]
    assert second.procedures["open-op"].name == "Open sugrery"
    assert second == cold(folder, monkeypatch)


def test_a_clash_with_an_unchanged_file_is_reported_as_without_a_cache(kb, monkeypatch):
    """Cross-file checks run on every load: reused files are checked against new ones."""
    folder, _ = kb
    load(folder)
    edit(folder / "procedures" / "open-op.yaml", "id: open-op", "id: keyhole")
    assert "is also used in" in same_error(folder, monkeypatch)


def test_a_broken_file_is_never_kept_and_its_fix_is_seen(kb, monkeypatch):
    folder, parsed = kb
    load(folder)
    glossary = folder / "glossary.yaml"
    good = glossary.read_text(encoding="utf-8")
    with glossary.open("a", encoding="utf-8") as handle:
        handle.write("oops: [\n")
    os.utime(glossary, ns=(OLD, OLD + 1))
    with pytest.raises(KnowledgeBaseError):
        load(folder)
    glossary.write_text(good, encoding="utf-8")
    os.utime(glossary, ns=(OLD, OLD + 2))
    parsed.clear()
    fixed = load(folder)
    assert parsed == ["glossary.yaml"]
    assert fixed == cold(folder, monkeypatch)


def test_a_file_edited_just_now_is_parsed_again_next_time(kb):
    """Its mtime may not yet tell a second same-size edit apart: keep nothing of it."""
    folder, parsed = kb
    load(folder)
    target = folder / "procedures" / "keyhole.yaml"
    target.write_text(target.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # now
    parsed.clear()
    load(folder)
    load(folder)
    assert parsed == ["keyhole.yaml", "keyhole.yaml"]


def test_a_relative_path_from_another_folder_is_another_knowledge_base(kb, monkeypatch):
    """Messages show paths as given, so a cache must not hand back another folder's."""
    folder, _ = kb
    monkeypatch.chdir(folder.parent)
    from_parent = load(Path("kb"))
    monkeypatch.chdir(folder)
    from_inside = load(Path("."))
    assert from_parent.procedures["keyhole"].path == os.path.join(
        "kb", "procedures", "keyhole.yaml"
    )
    assert from_inside.procedures["keyhole"].path == os.path.join("procedures", "keyhole.yaml")


def test_a_file_renamed_over_another_of_the_same_size_and_mtime_is_parsed(kb, monkeypatch):
    """Copies made by tar or cp -a share mtimes; the inode and ctime still differ."""
    folder, parsed = kb
    procedures = folder / "procedures"
    twin = procedures / "twin.yaml"
    text = (procedures / "open-op.yaml").read_text(encoding="utf-8")
    twin.write_text(
        text.replace("id: open-op", "id: open-xx")
        .replace("Open surgery", "Shut surgery")
        .replace("aliases: [open]", "aliases: [shut]")
    )
    os.utime(twin, ns=(OLD, OLD))
    os.utime(procedures, ns=(OLD, OLD))
    assert twin.stat().st_size == (procedures / "open-op.yaml").stat().st_size
    load(folder)
    twin.rename(procedures / "open-op.yaml")
    os.utime(procedures, ns=(OLD, OLD))
    first = same_error(folder, monkeypatch, parsed)  # keyhole cites open-op, now gone
    assert parsed == ["open-op.yaml"]
    assert "procedure 'open-op' does not exist" in first


def test_one_file_reached_by_two_spellings_keeps_each_spelling(kb, monkeypatch):
    """--kb kb --kb /abs/kb/sources.yaml: each layer reports the path it was given."""
    folder, _ = kb
    monkeypatch.chdir(folder.parent)
    layers = [Path("kb"), folder / "sources.yaml"]
    with monkeypatch.context() as patch:
        patch.setenv("FORACLI_NO_CACHE", "1")
        fresh = loader.load_knowledge_base(layers, include_shipped=False)
    loader.load_knowledge_base(layers, include_shipped=False)  # fills the caches
    edit(folder / "glossary.yaml", "keyhole surgery", "keyhole surgery!")  # forces a re-merge
    again = loader.load_knowledge_base(layers, include_shipped=False)
    with monkeypatch.context() as patch:
        patch.setenv("FORACLI_NO_CACHE", "1")
        assert again == loader.load_knowledge_base(layers, include_shipped=False)
    assert {s.path for s in fresh.sources.values()} == {str(folder / "sources.yaml")}
    assert {s.path for s in again.sources.values()} == {str(folder / "sources.yaml")}


def test_a_cached_knowledge_base_reads_only_the_procedures_a_run_asks_for(kb):
    """From the cache, each procedure is unpickled when first asked for; names resolve
    from the index stored beside them, and the whole still equals a cold load."""
    from foracli.core import query

    folder, _ = kb
    load(folder)
    cached = load(folder)
    procedures = cached.procedures
    assert not isinstance(procedures, dict)  # the lazy mapping
    assert query.explain(cached, "keyhole").procedure.id == "keyhole"
    assert set(procedures._loaded) <= {"keyhole", *cached.procedures["keyhole"].variants}  # type: ignore[attr-defined]
    assert cached.names is not None
    assert query.procedure_names(cached) == query.procedure_names(cold_kb(folder))
    assert cached == cold_kb(folder)


def cold_kb(folder: Path):
    return loader.load_knowledge_base([folder], include_shipped=False)
