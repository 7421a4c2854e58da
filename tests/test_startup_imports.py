"""What a first run imports: the modules kept off the start-up path stay off it.

Each module named here cost a measured share of a first run (issue 12): typing ~2 ms,
pathlib with urllib.parse and ipaddress ~3 ms, pickle.py ~1 ms, importlib.util ~1 ms,
the loader with PyYAML ~25 ms, Typer and pydantic ~110 ms. Measured on the installed
command with `python -X importtime`, the way a person runs it: piped, with the
knowledge-base caches present and no output entry for the argument list.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "foracli"

KEPT_OFF = (
    "typing",
    "typer",
    "click",
    "rich",
    "yaml",
    "pathlib",
    "pickle",
    "dataclasses",
    "difflib",
    "importlib.util",
    "array",
    "foracli.kb.loader",
    "foracli.speed.watch",
)


@pytest.fixture(scope="module")
def kb_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder holding the parsed-KB caches and no output entry."""
    folder = tmp_path_factory.mktemp("cache")
    folder.chmod(0o700)
    env = os.environ | {"FORACLI_CACHE_DIR": str(folder)}
    for argv in (["explain", "-f", "json"], ["search", "-f", "json", "lumbar"]):
        subprocess.run(
            [sys.executable, str(SCRIPT), *argv], env=env, capture_output=True, check=True
        )
    return folder


def imported(argv: list[str], cache: Path) -> set[str]:
    """The modules a first piped run of *argv* imports."""
    for entry in cache.glob("out-*"):
        entry.unlink()
    env = os.environ | {"FORACLI_CACHE_DIR": str(cache)}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", str(SCRIPT), *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout  # it printed the page
    return {
        line.split("|")[-1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "imported package" not in line
    }


@pytest.mark.parametrize(
    "argv",
    [
        ["explain"],
        ["compare", "open", "endoscopic"],
        ["list"],
        ["sources"],
        ["glossary"],
        ["ask", "how", "long", "off", "work"],
    ],
    ids=" ".join,
)
def test_a_first_piped_run_keeps_slow_modules_off_its_path(argv: list[str], kb_cache: Path):
    modules = imported(argv, kb_cache)
    assert "foracli.core.query" in modules  # the probe sees foracli's own imports
    assert sorted(m for m in KEPT_OFF if m in modules) == []


def test_a_first_search_reads_stored_stems_without_importing_importlib_util(kb_cache: Path):
    modules = imported(["search", "nerve", "pain"], kb_cache)
    assert "foracli.core.search" in modules
    assert sorted(m for m in KEPT_OFF if m in modules) == []
