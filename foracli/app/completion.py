"""Shell completion of procedure names, sections, glossary terms and aspects.

Completions come from the knowledge base actually in use (`--kb` already typed on
the line, else FORACLI_KB, else the shipped one). They never print and never
fail: a broken knowledge base simply completes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from foracli.app.present import environment_of
from foracli.content import words
from foracli.core.errors import ForacliError
from foracli.core.model import ASPECTS, SECTIONS, KnowledgeBase
from foracli.core.text import normalise_name


def _kb(ctx: Any) -> KnowledgeBase | None:
    env = environment_of(ctx)
    try:
        return env.load(env.layers((getattr(ctx, "params", None) or {}).get("kb")))
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
    """Procedure ids and names, hyphenated so each is one word; aliases (there are 150
    and more) only when what was typed starts no id or name."""
    kb = _kb(ctx)
    if kb is None:
        return []
    main = []
    for proc in kb.procedures.values():
        main += [(proc.id, proc.name), (normalise_name(proc.name), proc.name)]
    found = _matching(main, incomplete)
    if found:
        return found
    aliases = [(normalise_name(a), p.name) for p in kb.procedures.values() for a in p.aliases]
    return _matching(aliases, incomplete)


def _named_keys(
    specs: Iterable[tuple[str, tuple[str, ...]]], names: dict[str, str], incomplete: str
) -> list[tuple[str, str]]:
    """Keys and their aliases, each with its name as help; an alias that only spells the
    name again is left out (the title's spelling is accepted, not offered)."""
    pairs = [(key, aliases) for key, aliases in specs]
    candidates = [(key, names[key]) for key, _ in pairs]
    candidates += [
        (alias, names[key])
        for key, aliases in pairs
        for alias in aliases
        if alias != normalise_name(names[key])
    ]
    return _matching(candidates, incomplete)


def complete_section(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Section keys and aliases, for explain --section."""
    w = words(environment_of(ctx).locale)
    titles = {s.key: w.section_title(s.key) for s in SECTIONS}
    return _named_keys(((s.key, s.aliases) for s in SECTIONS), titles, incomplete)


def complete_term(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Glossary terms and their other names."""
    kb = _kb(ctx)
    if kb is None:
        return []
    candidates = []
    for term in kb.glossary.values():
        candidates.append((normalise_name(term.term), term.definition[:60]))
        see = words(environment_of(ctx).locale).text("completion.see", term=term.term)
        candidates += [(normalise_name(a), see) for a in term.aliases]
    return _matching(candidates, incomplete)


def complete_aspect(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Aspect keys and aliases, for compare --aspect."""
    w = words(environment_of(ctx).locale)
    labels = {a.key: w.aspect_label(a.key) for a in ASPECTS}
    return _named_keys(((a.key, a.aliases) for a in ASPECTS), labels, incomplete)
