"""Build hook: write foracli(1) from the Typer app and ship it in the wheel.

The page lands at share/man/man1/foracli.1 under the environment's prefix (a
wheel's shared data), beside bin/foracli, where man-db's PATH-based manpath finds
it: `man foracli` works in a virtual environment and a pipx or uv tool install.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

MAN_PAGE = "share/man/man1/foracli.1"


class ManPageHook(BuildHookInterface):  # type: ignore[type-arg]
    """Render the man page before the wheel (or editable wheel) is packed."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        sys.path.insert(0, self.root)  # this source tree, not an installed foracli
        try:
            import typer.main

            from foracli.app.cli import app
            from foracli.app.manpage import render
        finally:
            sys.path.remove(self.root)
        self._folder = tempfile.mkdtemp(prefix="foracli-man-")
        page = Path(self._folder) / "foracli.1"
        page.write_text(render(typer.main.get_command(app)), encoding="utf-8")
        build_data["shared_data"][str(page)] = MAN_PAGE

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        folder = getattr(self, "_folder", None)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
