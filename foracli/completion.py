"""Shell completion of procedure names, sections, glossary terms and aspects.

Completions come from the knowledge base actually in use (`--kb` already typed on
the line, else FORACLI_KB, else the shipped one). They never print and never
fail: a broken knowledge base simply completes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from foracli.errors import ForacliError
from foracli.loader import load_knowledge_base
from foracli.model import ASPECTS, SECTIONS, KnowledgeBase
from foracli.text import normalise_name


def _kb(ctx: Any) -> KnowledgeBase | None:
    paths = (getattr(ctx, "params", None) or {}).get("kb")
    if not paths:
        env = os.environ.get("FORACLI_KB", "")
        paths = [Path(p) for p in env.split(os.pathsep) if p]
    try:
        return load_knowledge_base(paths)
    except (ForacliError, OSError):
        return None


def _matching(candidates: Iterable[tuple[str, str]], incomplete: str) -> list[tuple[str, str]]:
    typed = normalise_name(incomplete) if incomplete.strip() else ""
    seen: dict[str, str] = {}
    for value, help_text in candidates:
        if normalise_name(value).startswith(typed):
            seen.setdefault(value, help_text)
    return sorted(seen.items())


def complete_procedure(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Procedure ids (with their names) and aliases, hyphenated so each is one word."""
    kb = _kb(ctx)
    if kb is None:
        return []
    candidates = []
    for proc in kb.procedures.values():
        candidates.append((proc.id, proc.name))
        candidates += [(normalise_name(a), f"{proc.name}") for a in proc.aliases]
    return _matching(candidates, incomplete)


def complete_section(incomplete: str) -> list[tuple[str, str]]:
    """Section keys and aliases."""
    candidates = [(s.key, s.title) for s in SECTIONS]
    candidates += [(a, s.title) for s in SECTIONS for a in s.aliases]
    return _matching(candidates, incomplete)


def complete_term(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Glossary terms and their other names."""
    kb = _kb(ctx)
    if kb is None:
        return []
    candidates = []
    for term in kb.glossary.values():
        candidates.append((normalise_name(term.term), term.definition[:60]))
        candidates += [(normalise_name(a), f"see {term.term}") for a in term.aliases]
    return _matching(candidates, incomplete)


def complete_aspect(incomplete: str) -> list[tuple[str, str]]:
    """Aspect keys, for compare --aspect."""
    candidates = [(a.key, a.label) for a in ASPECTS]
    candidates += [(alias, a.label) for a in ASPECTS for alias in a.aliases]
    return _matching(candidates, incomplete)
