"""The layer rule (shared/design.md), read from the source: each package imports only
the layers below it, and nothing but the launcher's entry points imports speed."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "foracli"
# What each layer may import, besides itself and the top-level package (its version).
ALLOWED = {
    "core": set(),
    "content": {"core"},
    "kb": {"core"},
    "render": {"core", "content"},
    "app": {"core", "content", "kb", "render"},
    "speed": {"core", "content", "kb", "render", "app"},
}
ENTRY_POINTS = {"__main__.py"}  # `python -m foracli` runs the launcher


def imported(path: Path) -> set[str]:
    """Every foracli module *path* imports, at any depth (function bodies and
    TYPE_CHECKING blocks included), as dotted names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "foracli"}
        elif (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.level == 0
            and node.module.split(".")[0] == "foracli"
        ):
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


def layer_of(module: str) -> str | None:
    """The layer a dotted module name belongs to (None: the top-level package)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ALLOWED else None


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_each_module_imports_only_the_layers_below_it(path):
    """A module of layer L imports only L, the layers L may use, or foracli itself."""
    relative = path.relative_to(PACKAGE)
    if len(relative.parts) == 1:
        own = "speed" if relative.name in ENTRY_POINTS else "top"
    else:
        own = relative.parts[0]
    allowed = {own} | ALLOWED.get(own, set())
    bad = sorted(
        m for m in imported(path) if (layer := layer_of(m)) is not None and layer not in allowed
    )
    assert bad == [], f"{relative} ({own}) may not import {bad}"


def test_every_module_belongs_to_a_layer():
    """No module sits outside the layers, where the rule would not reach it."""
    stray = [
        str(p.relative_to(PACKAGE))
        for p in MODULES
        if len(p.relative_to(PACKAGE).parts) == 1 and p.name not in {"__init__.py", *ENTRY_POINTS}
    ]
    assert stray == []


def test_the_checker_sees_a_violation(tmp_path):
    """The rule can fail: a core module importing render is caught."""
    sample = tmp_path / "bad.py"
    sample.write_text("def f():\n    from foracli.render import plain\n", encoding="utf-8")
    assert {layer_of(m) for m in imported(sample)} == {"render"}
    assert "render" not in ALLOWED["core"]
