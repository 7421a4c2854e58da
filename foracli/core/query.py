"""Questions asked of the knowledge base: name resolution, section picks, comparisons.

Knows nothing about output. Every name a user types is resolved here, once,
with the same rules: ids, names and aliases, any case, hyphens or spaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from enum import StrEnum

from foracli.core.about import About
from foracli.core.decide import Decision
from foracli.core.errors import MissingSectionError, NoMatchError, NotFoundError, RegionError
from foracli.core.layout import (
    NO_BAR,
    REGION_NAMES,
    BarCheck,
    applies,
    bar_check,
    pick_value,
    shortened,
    split_regions,
    value_region,
)
from foracli.core.model import (
    ASPECTS,
    ASPECTS_BY_KEY,
    SECTIONS,
    Approach,
    AspectSpec,
    AspectValue,
    Certainty,
    Comparison,
    KnowledgeBase,
    Point,
    Procedure,
    Region,
    Section,
    Source,
    Term,
    Topic,
)
from foracli.core.record import field, record, replace
from foracli.core.search import Hit, search
from foracli.core.text import normalise_name

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from foracli.core.search import Wording

DEFAULT_PROCEDURE = "endoscopic-foraminotomy"


def _suggest(
    name: str, names: dict[str, str], limit: int = 3, *, show_target: bool = False
) -> list[str]:
    """The closest accepted names to *name*, at most one per target.

    *names* maps each normalised accepted name to what it resolves to; with
    *show_target* the suggestion is the target itself rather than the near name.
    """
    key = normalise_name(name)
    import difflib  # only for a name not found: 1 ms of every start otherwise

    close = difflib.get_close_matches(key, list(names), n=limit * 5, cutoff=0.6)
    # Also offer names that start with what was typed ("endo" -> "endoscopic").
    if len(key) >= 3:
        close += sorted(n for n in names if n.startswith(key) and n not in close)
    result: dict[str, str] = {}
    for match in close:
        result.setdefault(names[match], names[match] if show_target else match)
    return list(result.values())[:limit]


def procedure_names(kb: KnowledgeBase) -> dict[str, str]:
    """Every accepted name of every procedure, normalised, mapped to its id.

    A user layer's name wins over the shipped one (the loader forbids clashes
    inside one layer). A cache may have worked them out ahead (kb.names).
    """
    if kb.names is not None:
        return kb.names if isinstance(kb.names, dict) else dict(kb.names)
    names: dict[str, str] = {}
    for proc in sorted(kb.procedures.values(), key=lambda p: p.layer):
        for name in (proc.id, proc.name, *proc.aliases):
            names[normalise_name(name)] = proc.id
    # An id always wins over another procedure's alias.
    names.update({normalise_name(pid): pid for pid in kb.procedures})
    return names


def resolve_procedure(kb: KnowledgeBase, name: str) -> Procedure:
    """The procedure *name* refers to, or NotFoundError with close matches."""
    names = procedure_names(kb)
    pid = names.get(normalise_name(name))
    if pid is not None:
        return kb.procedures[pid]
    raise NotFoundError("procedure", name, _suggest(name, names))


def _resolve_fixed(
    kind: str, typed: str, names: Iterable[tuple[str, Iterable[str]]], *, targets: bool = True
) -> str:
    """The key *typed* names among fixed (key, accepted names) pairs, or NotFoundError."""
    lookup: dict[str, str] = {}
    for key, accepted in names:
        for alias in accepted:
            lookup.setdefault(normalise_name(alias), key)
    found = lookup.get(normalise_name(typed))
    if found is None:
        raise NotFoundError(kind, typed, _suggest(typed, lookup, show_target=targets))
    return found


def resolve_section(key: str) -> str:
    """The section key *key* names (key, title or alias), or NotFoundError."""
    return _resolve_fixed("section", key, ((s.key, (s.key, *s.aliases)) for s in SECTIONS))


def resolve_region(name: str) -> Region:
    """The region *name* names (neck, low back, cervical, lumbar...), or NotFoundError."""
    return Region(
        # Suggest the near name ('nek' -> 'neck'), not the key behind it ('cervical').
        _resolve_fixed(
            "region", name, ((r.value, names) for r, names in REGION_NAMES.items()), targets=False
        )
    )


def _for_region(proc: Procedure, region: Region | None) -> None:
    if region is not None and proc.regions and region not in proc.regions:
        raise RegionError(proc.name, region.value, tuple(r.value for r in proc.regions))


# The short version first: what matters most, then the page in its fixed order.
LEAD_SECTIONS = ("key-points",)
BRIEF_SECTIONS = ("key-points", "red-flags")
# The figures that change a patient's days; operating time and blood loss stay on the
# whole page and in compare.
BRIEF_FIGURES = (
    "incision",
    "hospital-stay",
    "return-to-activity",
    "return-to-work",
    "complications",
    "reoperation",
)


@record
class Explanation:
    """What `explain` shows: one procedure, the chosen sections, and its sources.

    *region* narrows the page to what applies there; *brief* is the one-screen
    version (summary, key points, the page's figures, when to get help); *glance*
    holds those figures. *sources* is empty when the reader asked for none.
    """

    procedure: Procedure
    sections: tuple[Section, ...]
    sources: tuple[Source, ...]
    complete: bool
    variants: tuple[Procedure, ...] = ()
    region: Region | None = None
    brief: bool = False
    glance: tuple[AspectValue, ...] = ()
    cite: bool = True  # whether citation marks and the source list are shown


def explain(
    kb: KnowledgeBase,
    name: str,
    sections: Sequence[str] = (),
    *,
    region: str | None = None,
    brief: bool = False,
    cite: bool = True,
    short: bool = True,
) -> Explanation:
    """Resolve *name* and pick *sections* (all when empty: the key points first, then
    the fixed order), narrowed to *region* when one is given. *brief* adds the page's
    figures and, with *short*, gives each point's short form where it has one."""
    proc = resolve_procedure(kb, name)
    where = resolve_region(region) if region else None
    _for_region(proc, where)
    if brief:
        keys = [resolve_section(s) for s in sections] if sections else BRIEF_SECTIONS
        chosen = tuple(
            shortened(sec) if short else sec for key in keys if (sec := proc.section(key))
        )
    elif not sections:
        lead = [sec for key in LEAD_SECTIONS if (sec := proc.section(key))]
        chosen = (*lead, *(sec for sec in proc.sections if sec not in lead))
    else:
        keys = list(dict.fromkeys(resolve_section(s) for s in sections))
        chosen = tuple(sec for key in keys if (sec := proc.section(key)) is not None)
        missing = [key for key in keys if proc.section(key) is None]
        if missing:
            raise MissingSectionError(proc.id, missing[0])
    if where is not None:
        narrowed = (
            replace(s, points=tuple(p for p in s.points if applies(p, where))) for s in chosen
        )
        chosen = tuple(s for s in narrowed if s.points)
    glance = (
        tuple(
            value
            for spec in ASPECTS
            if spec.key in BRIEF_FIGURES
            for value in _region_values(proc, spec.key, where)
            if value.low is not None
        )
        if brief
        else ()
    )
    cited = _cited([*(sec.points for sec in chosen), glance]) if cite else ()
    sources = tuple(kb.sources[sid] for sid in cited)
    variants = tuple(
        variant
        for v in proc.variants
        if (variant := kb.procedures.get(v)) is not None
        and (where is None or not variant.regions or where in variant.regions)
    )
    complete = not sections and not brief
    return Explanation(proc, chosen, sources, complete, variants, where, brief, glance, cite)


def _region_values(proc: Procedure, key: str, region: Region | None) -> tuple[AspectValue, ...]:
    """The values of *key* a page for *region* shows: that region's, or with no region
    every region's, in the page's order of regions."""
    values = proc.aspect_values(key)
    if region is not None:
        picked = pick_value(values, region, proc.regions)
        return (picked,) if picked is not None else ()
    order = list(proc.regions)
    return tuple(sorted(values, key=lambda v: order.index(v.region) if v.region in order else -1))


def _cited(groups: Iterable[Iterable[object]]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for group in groups:
        for item in group:
            seen.update(dict.fromkeys(getattr(item, "sources", ())))
    return tuple(seen)


@record
class HeadToHead:
    """A finding from studies that compared *subject* with another shown procedure."""

    subject: Procedure
    finding: Comparison
    other: Procedure | None = None  # the procedure it was compared with, when shown

    @property
    def sources(self) -> tuple[str, ...]:
        """The sources behind the finding."""
        return self.finding.sources


@record
class Row:
    """One aspect across the compared procedures, plus any head-to-head finding."""

    spec: AspectSpec
    values: tuple[AspectValue | None, ...]
    head_to_head: tuple[HeadToHead, ...]
    bar: BarCheck = NO_BAR
    # For a value left out because it is for another region: that region, per column.
    elsewhere: tuple[Region | None, ...] = ()
    # Unnarrowed, an aspect with one value per region has a row per region: this one's.
    region: Region | None = None


@record
class ComparisonView:
    """What `compare` shows: procedures as columns, aspects as rows."""

    procedures: tuple[Procedure, ...]
    rows: tuple[Row, ...]
    sources: tuple[Source, ...]
    evidence: bool = False  # also show the studies behind each row (clinician view)
    region: Region | None = None
    cite: bool = True  # whether citation marks and the source list are shown

    def row_sources(self, row: Row) -> tuple[Source, ...]:
        """The sources cited on *row*, in citation order."""
        ids = set(_cited([row.head_to_head, [v for v in row.values if v]]))
        return tuple(s for s in self.sources if s.id in ids)


@record
class SourceList:
    """The bibliography behind one procedure, or the whole knowledge base."""

    procedure: Procedure | None
    sources: tuple[Source, ...]


def list_sources(kb: KnowledgeBase, name: str | None = None) -> SourceList:
    """Sources cited by the procedure *name* (in citation order), or every source by id."""
    if name is None:
        return SourceList(None, tuple(kb.sources[sid] for sid in sorted(kb.sources)))
    proc = resolve_procedure(kb, name)
    # In the order the page cites them (key points first), then the figures' own.
    order = dict.fromkeys(s.id for s in explain(kb, proc.id).sources)
    order.update(dict.fromkeys(proc.cited_sources()))
    return SourceList(proc, tuple(kb.sources[sid] for sid in order))


def compare(
    kb: KnowledgeBase,
    names: Sequence[str],
    *,
    evidence: bool = False,
    aspects: Sequence[str] = (),
    region: str | None = None,
    cite: bool = True,
) -> ComparisonView:
    """Resolve two or more *names* and line them up on the fixed aspects, narrowed to
    *region* when one is given."""
    procs: list[Procedure] = []
    for name in names:
        proc = resolve_procedure(kb, name)
        if proc not in procs:
            procs.append(proc)
    where = resolve_region(region) if region else None
    for proc in procs:
        _for_region(proc, where)
    keys = [resolve_aspect(a) for a in aspects]
    specs = [ASPECTS_BY_KEY[k] for k in dict.fromkeys(keys)] if keys else list(ASPECTS)
    by_id = {p.id: p for p in procs}
    regions = [p.regions for p in procs]  # each column's page regions, for bar_check
    rows = []
    for spec in specs:
        given = [p.aspect_values(spec.key) for p in procs]
        # Unnarrowed, an aspect with one value per region is one row per region.
        split = split_regions(given) if where is None else ()
        for n, row_region in enumerate(split or (where,)):
            values = tuple(
                pick_value(vs, row_region, page) for vs, page in zip(given, regions, strict=True)
            )
            elsewhere = tuple(
                value_region(vs, page) if v is None else None
                for v, vs, page in zip(values, given, regions, strict=True)
            )
            found = tuple(
                HeadToHead(p, c, by_id[c.other])
                for p in procs
                for c in p.comparisons
                if c.aspect == spec.key
                and c.other in by_id
                and (c.region == row_region or (c.region is None and (where or n == 0)))
            )
            check = bar_check(values, kb.sources, regions) if spec.unit else NO_BAR
            shown = row_region if split else None
            rows.append(Row(spec, values, found, check, elsewhere, shown))
    # Numbered in the order a reader meets them: row by row, each procedure's value,
    # then the head-to-head findings of that row.
    cited = (
        _cited(group for r in rows for group in ([v for v in r.values if v], r.head_to_head))
        if cite
        else ()
    )
    sources = tuple(kb.sources[sid] for sid in cited)
    return ComparisonView(tuple(procs), tuple(rows), sources, evidence, where, cite)


@record
class ProcedureList:
    """Every procedure, for `list`."""

    procedures: tuple[Procedure, ...]


def list_procedures(kb: KnowledgeBase) -> ProcedureList:
    """All procedures, by id."""
    return ProcedureList(tuple(kb.procedures[pid] for pid in sorted(kb.procedures)))


@record
class SearchResult:
    """What `search` shows: the query and its ranked hits."""

    query: str
    hits: tuple[Hit, ...]


def find(
    kb: KnowledgeBase, text: str, wording: Wording, *, limit: int = 20, region: str | None = None
) -> SearchResult:
    """Ranked matches for *text*, only from pages for *region* when one is given;
    NotFoundError (with a hint) when nothing matches."""
    where = resolve_region(region) if region else None
    keep = None if where is None else (lambda hit: _hit_applies(kb, hit, where))
    hits = tuple(search(kb, text, wording, limit=limit, keep=keep))
    if not hits:
        raise NoMatchError(text)
    return SearchResult(text, hits)


def _hit_applies(kb: KnowledgeBase, hit: Hit, region: Region) -> bool:
    """Whether *hit* is on a page for *region* (glossary and sources always are)."""
    proc = kb.procedures.get(hit.document.procedure)
    return proc is None or not proc.regions or region in proc.regions


@record
class GlossaryView:
    """Glossary terms, and for each the places that use it."""

    terms: tuple[Term, ...]
    used_in: dict[str, tuple[tuple[str, str], ...]]
    single: bool
    approaches: dict[str, Approach] = field(default_factory=dict)  # of the pages used in


def term_names(kb: KnowledgeBase) -> dict[str, str]:
    """Every accepted name of every glossary term, normalised, mapped to its key."""
    names: dict[str, str] = {}
    for term in kb.glossary.values():
        for name in (term.key, term.term, *term.aliases):
            names.setdefault(normalise_name(name), term.key)
    return names


def glossary(kb: KnowledgeBase, name: str | None = None) -> GlossaryView:
    """All terms, or the one *name* refers to, with where each is used."""
    if name is None:
        chosen = tuple(kb.glossary[key] for key in sorted(kb.glossary))
    else:
        names = term_names(kb)
        typed = normalise_name(name)
        # "Nerves" finds "nerve": try the word as typed, then without a plural ending.
        forms = (typed, typed.removesuffix("s"), typed.removesuffix("es"))
        key = next((names[f] for f in forms if f in names), None)
        if key is None:
            raise NotFoundError("term", name, _suggest(name, names, show_target=True))
        chosen = (kb.glossary[key],)
    used = _uses(kb, chosen)
    pages = {pid for places in used.values() for pid, _ in places}
    approaches = {pid: kb.procedures[pid].approach for pid in pages}
    return GlossaryView(chosen, used, single=name is not None, approaches=approaches)


_PLAIN_WORD = re.compile(r"[a-z0-9]+")
_ENDINGS = ("", "s", "es")


def _uses(kb: KnowledgeBase, terms: Sequence[Term]) -> dict[str, tuple[tuple[str, str], ...]]:
    """Where a name of each of *terms* stands as a whole word, plurals included, in any
    case: by key, the (procedure, section) places in page order.

    Each section's words are read once and only the words a name needs are indexed;
    a name of several words is looked for (str.find) only in the sections holding
    all its words (95 terms x 110 sections was 15 ms of set tests, once 0.3 s of regexes).
    """
    wanted: dict[str, list[tuple[str, list[str]]]] = {}  # by key: each name and its words
    needed: set[str] = set()
    for term in terms:
        names = wanted[term.key] = []
        for name in dict.fromkeys(n.lower() for n in (term.term, *term.aliases)):
            parts = re.findall(r"\w+", name)
            names.append((name, parts))
            needed.update(parts)
            if parts:
                needed.update(parts[-1] + end for end in _ENDINGS)
    places: list[tuple[str, str]] = []
    texts: list[str] = []
    holding: dict[str, set[int]] = {word: set() for word in needed}
    for proc in kb.procedures.values():
        for section in proc.sections:
            text = "\n".join(p.text for p in section.points).lower()
            for word in needed.intersection(_words(text)):
                holding[word].add(len(texts))
            places.append((proc.id, section.key))
            texts.append(text)
    everywhere = set(range(len(texts)))
    used = {}
    for key, names in wanted.items():
        found: set[int] = set()
        for name, parts in names:
            if not parts:
                maybe = everywhere
            else:
                *inner, last = parts
                maybe = set().union(*(holding[last + end] for end in _ENDINGS))
                for part in inner:
                    maybe &= holding[part]
            if _PLAIN_WORD.fullmatch(name):
                found |= maybe  # one ASCII word: a whole word exactly when it is a word
            else:
                found.update(i for i in maybe - found if _whole_word(texts[i], name))
        used[key] = tuple(places[i] for i in sorted(found))
    return used


# Every ASCII character that is not a word character (\w), as a space.
_NOT_WORD = str.maketrans({chr(c): " " for c in range(128) if not (chr(c).isalnum() or c == 95)})


def _words(text: str) -> list[str]:
    r"""`re.findall(r"\w+", text)`, twice as fast for ASCII text (most pages)."""
    return text.translate(_NOT_WORD).split() if text.isascii() else re.findall(r"\w+", text)


def _whole_word(text: str, name: str) -> bool:
    """Whether *name* stands in *text* (both in lower case) as the regex
    `\\bNAME(?:e?s)?\\b` would find it: str.find, then the word boundaries checked."""
    at = text.find(name)
    while at >= 0:
        end = at + len(name)
        if _boundary(text[at - 1 : at], name[0]):
            for suffix in ("", "s", "es"):
                after = end + len(suffix)
                last = suffix[-1] if suffix else name[-1]
                if text[end:after] == suffix and _boundary(last, text[after : after + 1]):
                    return True
        at = text.find(name, at + 1)
    return False


def _boundary(left: str, right: str) -> bool:
    """Whether a regex \\b stands between *left* and *right* ('' beyond either end)."""
    return _is_word(left) != _is_word(right)


def _is_word(char: str) -> bool:
    return bool(char) and (char.isalnum() or char == "_")


def resolve_aspect(name: str) -> str:
    """The aspect key *name* names (key, label or alias), or NotFoundError with suggestions."""
    return _resolve_fixed("aspect", name, ((a.key, (a.key, *a.aliases)) for a in ASPECTS))


@record
class Handout:
    """What a printed handout shows: a page, an optional comparison, the terms it uses.

    The short patient version (*full* False) has the key points, the figures or the
    comparison at a glance, when to get help and the questions, with room to write.
    """

    explanation: Explanation
    comparison: ComparisonView | None
    terms: tuple[Term, ...]
    full: bool = False


HANDOUT_SECTIONS = ("key-points", "red-flags", "questions")


def handout(
    kb: KnowledgeBase,
    name: str,
    *,
    compare_with: str | None = None,
    region: str | None = None,
    full: bool = False,
) -> tuple[Explanation, ComparisonView | None]:
    """The page and the comparison a handout prints (short unless *full*)."""
    if full:
        view = explain(kb, name, region=region)
    else:
        # The short version on paper too: each point's short form where it has one
        # (`--full` prints every point in full).
        view = explain(kb, name, HANDOUT_SECTIONS, region=region, brief=True)
    comparison = None
    if compare_with is not None:
        comparison = compare(kb, [name, compare_with], region=region)
    return view, comparison


def terms_used(glossary: Iterable[Term], text: str) -> list[Term]:
    """The terms whose name or an alias occurs in *text* as a whole word, any case, by name.

    Each keeps only the aliases the text uses: the words a reader will look for.
    """
    found = []
    for term in glossary:
        aliases = tuple(
            a
            for a in term.aliases
            if a.casefold() != term.term.casefold() and _word(a).search(text)
        )
        if aliases or _word(term.term).search(text):
            found.append(replace(term, aliases=aliases))
    return sorted(found, key=lambda t: t.term.casefold())


def _word(name: str) -> re.Pattern[str]:
    # Spaces in a term match any run of whitespace; \w edges keep "pen" out of "open".
    body = r"\s+".join(re.escape(part) for part in name.split())
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


class AnswerKind(StrEnum):
    """What an answer card shows."""

    ASPECT = "aspect"  # a procedure's value for one aspect
    SECTION = "section"  # one point of a section
    FINDING = "finding"  # a head-to-head finding between two named procedures
    TOPIC = "topic"  # a question the pages have no good evidence on


@record
class Answer:
    """One answer card: where it comes from, what it says, and the command that shows more."""

    kind: AnswerKind
    place: str  # the aspect, section or topic key
    procedure: Procedure | None
    region: Region | None  # None: both, or not said
    point: Point | None = None
    value: AspectValue | None = None
    finding: HeadToHead | None = None
    topic: Topic | None = None
    more: tuple[str, ...] = ()  # foracli's arguments for the fuller page, if there is one

    @property
    def sources(self) -> tuple[str, ...]:
        """The sources behind the card."""
        held = self.point or self.value or self.finding or self.topic
        return held.sources if held is not None else ()

    @property
    def certainty(self) -> Certainty | None:
        """How sure the evidence behind the card lets us be, where the page says."""
        if self.finding is not None:
            return self.finding.finding.certainty
        held = self.point or self.value
        return held.certainty if held is not None else None


@record
class AnswerView:
    """What `ask` shows: the question, its best answers, and their sources.

    No answers means the knowledge base has nothing on the question; *offers* then
    holds the aspect keys it can answer for.
    """

    question: str
    answers: tuple[Answer, ...]
    sources: tuple[Source, ...]
    region: Region | None = None
    offers: tuple[str, ...] = ()


# Every view a page renderer must handle; each renderer matches on it exhaustively.
View = (
    Explanation
    | ComparisonView
    | ProcedureList
    | SearchResult
    | GlossaryView
    | SourceList
    | Decision
    | About
    | AnswerView
)
