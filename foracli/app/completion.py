"""Shell completion of procedure names, sections, glossary terms and aspects.

Completions come from the knowledge base actually in use (`--kb` already typed on
the line, else FORACLI_KB, else the shipped one). They never print and never
fail: a broken knowledge base simply completes nothing. What is offered, and how
a prefix picks from it, lives in app.candidates (the speed layer reads it too).
"""

from __future__ import annotations

from typing import Any

from foracli.app import candidates
from foracli.app.present import environment_of
from foracli.content import words
from foracli.core.errors import ForacliError
from foracli.core.layout import REGION_NAMES
from foracli.core.model import KnowledgeBase


def _kb(ctx: Any) -> KnowledgeBase | None:
    env = environment_of(ctx)
    try:
        return env.load(env.layers((getattr(ctx, "params", None) or {}).get("kb")))
    except (ForacliError, OSError):
        return None


def complete_procedure(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Procedure ids and names, hyphenated so each is one word; aliases (there are 150
    and more) only when what was typed starts no id or name."""
    kb = _kb(ctx)
    if kb is None:
        return []
    return candidates.pick_procedure(*candidates.procedures(kb), incomplete)


def complete_section(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Section keys and aliases, for explain --section."""
    return candidates.matching(candidates.sections(words(environment_of(ctx).locale)), incomplete)


def complete_term(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Glossary terms and their other names."""
    kb = _kb(ctx)
    if kb is None:
        return []
    w = words(environment_of(ctx).locale)
    return candidates.matching(candidates.terms(kb, w), incomplete)


def complete_aspect(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Aspect keys and aliases, for compare --aspect."""
    return candidates.matching(candidates.aspects(words(environment_of(ctx).locale)), incomplete)


def complete_region(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """The regions a page can be narrowed to: neck and low-back first, then other names."""
    w = words(environment_of(ctx).locale)
    offered = [(names[1], w.region(region)) for region, names in REGION_NAMES.items()]
    offered += [
        (n, w.region(r)) for r, names in REGION_NAMES.items() for n in names if n != names[1]
    ]
    return [(n, h) for n, h in offered if n.startswith(incomplete.casefold())]


def complete_command(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Command names, for `foracli help`."""
    root = ctx.find_root()
    group = root.command
    found = []
    for name in group.list_commands(root):
        command = group.get_command(root, name)
        if command is not None and not command.hidden and name.startswith(incomplete):
            found.append((name, (command.help or "").strip().split("\n")[0]))
    return found
