"""What completion offers, as plain tables, and how a typed prefix picks from them.

The Typer completion callbacks (app.completion) and the speed layer's answer to a
first TAB both use these, so a TAB offers the same words either way. Only
`core.text` at import: the TAB path reads this without the model.
"""

from __future__ import annotations

from foracli.core.text import normalise_name

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from foracli.content import Words
    from foracli.core.model import KnowledgeBase

    Candidates = list[tuple[str, str]]  # (value, help)


def matching(candidates: Iterable[tuple[str, str]], incomplete: str) -> Candidates:
    """The candidates whose value starts (as a name) with *incomplete*, by value."""
    typed = normalise_name(incomplete) if incomplete.strip() else ""
    seen: dict[str, str] = {}
    for value, help_text in candidates:
        if normalise_name(value).startswith(typed):
            seen.setdefault(value, help_text)
    return sorted(seen.items())


def pick_procedure(main: Candidates, aliases: Candidates, incomplete: str) -> Candidates:
    """Ids and names first; the many aliases only when what was typed starts none."""
    return matching(main, incomplete) or matching(aliases, incomplete)


def procedures(kb: KnowledgeBase) -> tuple[Candidates, Candidates]:
    """(ids and names, aliases) of every procedure, hyphenated so each is one word."""
    main: Candidates = []
    for proc in kb.procedures.values():
        main += [(proc.id, proc.name), (normalise_name(proc.name), proc.name)]
    aliases = [(normalise_name(a), p.name) for p in kb.procedures.values() for a in p.aliases]
    return main, aliases


def terms(kb: KnowledgeBase, w: Words) -> Candidates:
    """Glossary terms and their other names."""
    found: Candidates = []
    for term in kb.glossary.values():
        found.append((normalise_name(term.term), term.definition[:60]))
        see = w.text("completion.see", term=term.term)
        found += [(normalise_name(a), see) for a in term.aliases]
    return found


def named_keys(specs: Iterable[tuple[str, Sequence[str]]], names: dict[str, str]) -> Candidates:
    """Keys and their aliases, each with its name as help; an alias that only spells the
    name again is left out (the title's spelling is accepted, not offered)."""
    pairs = list(specs)
    found = [(key, names[key]) for key, _ in pairs]
    found += [
        (alias, names[key])
        for key, aliases in pairs
        for alias in aliases
        if alias != normalise_name(names[key])
    ]
    return found


def sections(w: Words) -> Candidates:
    """Section keys and aliases, for explain --section."""
    from foracli.core.model import SECTIONS

    titles = {s.key: w.section_title(s.key) for s in SECTIONS}
    return named_keys(((s.key, s.aliases) for s in SECTIONS), titles)


def aspects(w: Words) -> Candidates:
    """Aspect keys and aliases, for compare --aspect."""
    from foracli.core.model import ASPECTS

    labels = {a.key: w.aspect_label(a.key) for a in ASPECTS}
    return named_keys(((a.key, a.aliases) for a in ASPECTS), labels)


def tables(kb: KnowledgeBase, w: Words) -> dict[str, Candidates]:
    """Every table a TAB may need, for one knowledge base and wording."""
    main, aliases = procedures(kb)
    return {
        "procedure": main,
        "alias": aliases,
        "term": terms(kb, w),
        "section": sections(w),
        "aspect": aspects(w),
    }
