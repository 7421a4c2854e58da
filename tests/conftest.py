"""Shared fixtures: the CLI runner and the knowledge bases tests read."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from foracli.core.model import KnowledgeBase
from foracli.kb.loader import load_knowledge_base

DATA = Path(__file__).parent / "data"
FIXTURE_KB = DATA / "kb"


@pytest.fixture(autouse=True, scope="session")
def private_cache(tmp_path_factory):
    """Tests never touch the user's cache folder; subprocesses inherit this."""
    folder = tmp_path_factory.mktemp("foracli-cache")
    patch = pytest.MonkeyPatch()
    patch.setenv("FORACLI_CACHE_DIR", str(folder))
    yield folder
    patch.undo()


# An mtime long past. Files changed in the last couple of seconds (mtime or ctime)
# are never cached, and utime cannot set a ctime back: tests that need cacheable
# files take copies made once per session and left to settle (see aged_kb).
OLD_MTIME = 1_600_000_000_000_000_000


@pytest.fixture(scope="session")
def _settled_copies(tmp_path_factory) -> list[Path]:
    from foracli.speed.outcache import RACY_NS

    root = tmp_path_factory.mktemp("settled")
    copies = []
    for n in range(16):
        copy = root / f"kb{n}"
        shutil.copytree(FIXTURE_KB, copy)
        for path in [copy, *copy.rglob("*")]:
            os.utime(path, ns=(OLD_MTIME, OLD_MTIME))
        copies.append(copy)
    time.sleep(RACY_NS / 1e9 + 0.2)
    return copies


@pytest.fixture
def aged_kb(_settled_copies, tmp_path) -> Path:
    """A copy of tests/data/kb at tmp_path/kb, settled long enough to be cached.
    Moving a folder changes no file inside it."""
    copy = tmp_path / "kb"
    _settled_copies.pop().rename(copy)
    os.utime(copy, ns=(OLD_MTIME, OLD_MTIME))
    return copy


@pytest.fixture
def runner() -> CliRunner:
    """A Typer runner that keeps stdout and stderr apart."""
    return CliRunner()


@pytest.fixture(scope="session")
def fixture_kb() -> KnowledgeBase:
    """The tiny two-procedure knowledge base in tests/data/kb."""
    return load_knowledge_base([FIXTURE_KB], include_shipped=False)


@pytest.fixture(scope="session")
def shipped_kb() -> KnowledgeBase:
    """The knowledge base foracli ships."""
    return load_knowledge_base()


def write_kb(root: Path, procedure: str, sources: str | None = None) -> Path:
    """Make a one-procedure knowledge base under *root* from YAML text."""
    (root / "procedures").mkdir(parents=True, exist_ok=True)
    (root / "procedures" / "p.yaml").write_text(procedure, encoding="utf-8")
    (root / "sources.yaml").write_text(sources or SOURCES, encoding="utf-8")
    return root


SOURCES = """\
sources:
  s-2020:
    title: A study
    url: https://example.org/s
    type: cohort
    level: 3
"""

PROCEDURE = """\
id: p
name: P
summary: A procedure.
approach: open
regions: [lumbar]
reviewed: 2026-01-01
next_review: 2028-01-01
sections:
  what:
    - Plain words.
"""


@pytest.fixture(scope="session")
def built_wheel(tmp_path_factory) -> Path:
    """foracli built as a wheel once per test session (pip wheel, no build isolation)."""
    dist = tmp_path_factory.mktemp("dist")
    root = Path(__file__).parent.parent
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation"),
            *("-w", str(dist), str(root)),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = dist.glob("foracli-*.whl")
    return wheel
