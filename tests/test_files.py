"""The knowledge base's file rules, in one place: which files count, where the shipped
one is, how FORACLI_KB names layers, and a stable walk."""

from __future__ import annotations

import os

import pytest

from foracli.kb import files


@pytest.mark.parametrize(
    ("name", "counted"),
    [
        ("a.yaml", True),
        ("a.yml", True),
        ("a.YAML", False),
        (".yaml", False),
        ("a.yaml.bak", False),
        ("yaml", False),
        ("a.", False),
        ("a.json", False),
    ],
)
def test_only_yaml_files_count(name, counted):
    assert files.is_yaml(name) is counted


@pytest.mark.parametrize(
    ("value", "layers"),
    [
        ("", []),
        ("a", ["a"]),
        (f"a{os.pathsep}b", ["a", "b"]),
        (f"{os.pathsep}a{os.pathsep}{os.pathsep}b{os.pathsep}", ["a", "b"]),  # never '.'
    ],
)
def test_foracli_kb_names_layers_and_skips_empty_entries(value, layers):
    assert files.env_layers({"FORACLI_KB": value}) == layers
    assert files.env_layers({}) == []


def test_the_walk_is_sorted_by_folder_then_name_and_skips_other_files(tmp_path):
    """Ordered as the paths' parts sort (as Path.parts would), other suffixes left out."""
    for rel in ("b.yaml", "a/z.yml", "a/b/c.yaml", "a.txt", "a/notes.md", "c.yaml"):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x: 1\n", encoding="utf-8")
    found = [os.path.relpath(p, tmp_path) for p in files.yaml_files(str(tmp_path))]
    assert found == ["a/b/c.yaml", "a/z.yml", "b.yaml", "c.yaml"]


def test_a_file_is_its_own_walk(tmp_path):
    target = tmp_path / "one.txt"
    assert files.yaml_files(str(target)) == [str(target)]


def test_the_shipped_knowledge_base_is_found_from_the_package():
    """A checkout's data/ (or a wheel's foracli/data), whatever folder foracli runs in."""
    shipped = files.shipped_dir()
    assert os.path.isdir(os.path.join(shipped, "procedures"))
    assert os.path.isfile(os.path.join(shipped, "sources.yaml"))
    assert files.PACKAGE_DIR.endswith("foracli")


@pytest.mark.parametrize(
    "given",
    ["kb", "./kb/", "kb//x.yaml", "/", "//srv/kb", "///kb", "a/./b/../c", ".", "./", "..//x/."],
)
def test_a_layer_is_named_as_pathlib_names_it(given: str):
    """The caches name a layer without pathlib; the loader reads Paths: both must agree
    on every file's name, or an edit's parse is not reused and messages differ."""
    from pathlib import PurePath

    assert files.as_path(given) == str(PurePath(given))


def test_layers_for_names_each_given_layer_as_pathlib_does(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kb").mkdir()
    assert files.layers_for(["./kb/"], include_shipped=False) == ["kb"]
    assert files.layers_for(["kb"]) == [files.shipped_dir(), "kb"]
