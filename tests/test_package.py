"""Packaging: version, entry points, and data shipped inside the wheel."""

from __future__ import annotations

import ast
import importlib.metadata
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import foracli

ROOT = Path(__file__).parent.parent


def test_version_matches_metadata():
    """The hard-coded __version__ matches pyproject and the installed metadata."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert foracli.__version__ == project["version"]
    assert importlib.metadata.version("foracli") == project["version"]


def test_wheel_maps_top_level_data_into_the_package():
    """pyproject force-includes data/ as foracli/data, so a wheel carries the KB."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    include = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert include == {"data": "foracli/data"}


def test_readme_test_command_is_the_one_ci_runs():
    """.ci/run runs exactly the README's test command."""
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    marker = next(i for i, line in enumerate(ci) if "ci-test-command" in line)
    command = ci[marker + 1].strip()
    assert re.search(r"\$ " + re.escape(command) + "\n", (ROOT / "README.md").read_text())


def test_built_wheel_carries_and_uses_the_knowledge_base(built_wheel, tmp_path):
    """A real wheel holds data/ and, run from elsewhere, explains from it."""
    wheel = built_wheel
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    assert "foracli/data/sources.yaml" in names
    assert "foracli-0.1.0.data/scripts/foracli" in names  # our launcher, not pip's
    assert "foracli/data/procedures/endoscopic-foraminotomy.yaml" in names
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import foracli.app.cli, sys; print(foracli.app.cli.__file__); "
            "sys.argv=['foracli','explain','open','-s','what']; foracli.app.cli.main()",
        ],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(tmp_path / "site")},
    )
    assert result.returncode == 0, result.stderr
    first, *rest = result.stdout.splitlines()
    assert first.startswith(str(tmp_path / "site"))
    assert rest[0] == "Open foraminotomy"


def test_the_command_is_our_own_script_and_the_replay_path_imports_no_re():
    """pip's generated launcher imports `re` (about 5 ms a start); ours imports only
    `sys` and the launcher, whose replay path needs neither `re` nor `typing`."""
    script = ROOT / "scripts" / "foracli"
    tree = ast.parse(script.read_text(encoding="utf-8"))
    imported = [
        alias.name if isinstance(node, ast.Import) else node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert imported == ["sys", "foracli.speed.launch"]
    probe = (
        "import sys; import foracli.speed.launch, foracli.speed.fastpath; "
        "print(sorted(m for m in ('re', 'typing', 'typer', 'rich', 'yaml') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout == "[]\n"
