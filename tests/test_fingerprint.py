"""A replay must never show output from code that has changed since: every file of
the installed package is part of the fingerprint, walked, not listed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from foracli.kb.files import PACKAGE_DIR
from foracli.speed import outcache

ROOT = Path(PACKAGE_DIR).parent
LAUNCH = "import sys; from foracli.speed.launch import main; sys.argv[0] = 'foracli'; main()"


def run(site: Path, cache: Path) -> str:
    """`foracli explain open -s what`, piped, from the copy of foracli in *site*."""
    env = {
        **os.environ,
        "PYTHONPATH": str(site),
        "FORACLI_CACHE_DIR": str(cache),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.pop("FORACLI_NO_CACHE", None)
    result = subprocess.run(
        [sys.executable, "-c", LAUNCH, "explain", "open", "-s", "what"],
        capture_output=True,
        text=True,
        env=env,
        cwd=site,
        timeout=60,
        check=True,
    )
    return result.stdout


def test_editing_any_module_even_in_a_new_subpackage_shows_on_the_next_run(tmp_path):
    """Record, replay, then edit the wording (moved into a new subpackage, then edited
    there): each next run shows the new text, never the recorded one."""
    site = tmp_path / "site"
    shutil.copytree(PACKAGE_DIR, site / "foracli", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "data", site / "data")
    time.sleep(outcache.RACY_NS / 1e9 + 0.1)  # files changed just now are never cached
    cache = tmp_path / "cache"
    first = run(site, cache)
    assert "general information, not medical advice" in first
    assert run(site, cache) == first  # replayed
    assert any(p.name.startswith("out-") for p in cache.iterdir())

    # Move the disclaimer into a new subpackage, as a refactor would, and edit it there.
    words = site / "foracli" / "content" / "en.py"
    extra = site / "foracli" / "content" / "extra"
    extra.mkdir()
    (extra / "__init__.py").write_text('DISCLAIMER = "Moved wording."\n', encoding="utf-8")
    text = words.read_text(encoding="utf-8")
    start = text.index('    "disclaimer": (')
    end = text.index("),", start) + 2
    text = text[:start] + '    "disclaimer": DISCLAIMER,' + text[end:]
    future = "from __future__ import annotations\n"
    text = text.replace(future, future + "\nfrom foracli.content.extra import DISCLAIMER\n")
    words.write_text(text, encoding="utf-8")
    moved = run(site, cache)
    assert "Moved wording." in moved
    assert run(site, cache) == moved

    (extra / "__init__.py").write_text('DISCLAIMER = "Edited wording."\n', encoding="utf-8")
    edited = run(site, cache)
    assert "Edited wording." in edited
    assert "Moved wording." not in edited


def test_the_fingerprint_walks_every_file_but_bytecode_and_the_shipped_data():
    """Every folder and file below the package, whatever its suffix, in every subpackage."""
    listed = set(outcache.package_files())
    for folder, subfolders, names in os.walk(PACKAGE_DIR):
        subfolders[:] = [n for n in subfolders if n != "__pycache__"]
        if Path(folder, "x").relative_to(PACKAGE_DIR).parts[0] == "data":
            continue
        assert folder in listed
        assert {os.path.join(folder, n) for n in names} <= listed
    assert not any("__pycache__" in p for p in listed)
