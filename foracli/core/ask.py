"""Answering a question typed the way a patient types it.

A question is read as words (misspellings mended against the words foracli knows),
the procedures and the region it names, and what it asks about. Each aspect and
section has the ways patients ask for it (the knowledge base's `asking:`); how
close the question comes to one of them says which part of the page it wants, and
BM25 over the page's points says which point of that part answers it. Two named
procedures are answered side by side from the compare rows. A question that
matches neither gets the knowledge base's "no good evidence" topic, or nothing:
never a sentence that merely shares a word.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence

from foracli.core.layout import pick_value
from foracli.core.model import (
    ASPECTS,
    AspectValue,
    KnowledgeBase,
    Point,
    Procedure,
    Region,
    Topic,
)
from foracli.core.query import (
    DEFAULT_PROCEDURE,
    Answer,
    AnswerKind,
    AnswerView,
    HeadToHead,
    procedure_names,
)
from foracli.core.record import record
from foracli.core.search import (
    Document,
    Language,
    Query,
    Ways,
    aspect_document,
    named_procedures,
    procedure_documents,
    query_of,
    rank,
    terms,
    words_of,
)

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from foracli.core.search import Wording

LIMIT = 3
INTENT_WEIGHT, CONTENT_WEIGHT = 1.0, 0.4
ANSWERED = (
    0.42  # below this closeness to a way of asking (and without the words on a page), no answer
)
COVERED = 0.6  # ... or this share of the question's weight found in one point
KEEP = 0.6  # a further card must score at least this share of the best
SPELLING_CUTOFF = 0.85
REGION_FLAGS = {Region.CERVICAL: "neck", Region.LUMBAR: "low-back"}  # as --region takes them


@record
class _Unit:
    """A part of a page that can answer: one point or one aspect value of a procedure."""

    procedure: Procedure
    kind: AnswerKind
    place: str
    region: Region | None
    point: Point | None
    document: Document
    value: AspectValue | None = None


def ask(
    kb: KnowledgeBase,
    question: str,
    wording: Wording,
    *,
    region: Region | None = None,
    limit: int = LIMIT,
) -> AnswerView:
    """The best one to *limit* answers to *question* (none when nothing answers it)."""
    language = wording.language
    words = _mend(kb, words_of(question), wording)
    named, used = named_procedures(kb, words)
    region = region or _region(kb, words)
    rest = [w for i, w in enumerate(words) if i not in used]
    query = query_of(kb, rest, language, named)
    ways = Ways.of(kb, language)
    if len(named) >= 2:
        answers = _side_by_side(kb, named, query, ways, wording, region, limit)
    else:
        answers = _answers(kb, named, query, ways, wording, region, limit)
    cited = dict.fromkeys(s for a in answers for s in a.sources)
    sources = tuple(kb.sources[s] for s in cited if s in kb.sources)
    offers = () if answers else tuple(spec.key for spec in ASPECTS)
    return AnswerView(question, tuple(answers), sources, region, offers)


# -- reading the question ------------------------------------------------------


def _vocabulary(kb: KnowledgeBase, wording: Wording) -> set[str]:
    """Every word foracli can match a typed word to: names, ways of asking, synonyms,
    the glossary and the default page."""
    found: set[str] = set(wording.language.stopwords)
    for name in procedure_names(kb):
        found.update(name.split("-"))
    asking = kb.asking
    phrases: list[str] = [*asking.names, *(p for group in asking.synonyms for p in group)]
    phrases += [p for ways in asking.places.values() for p in ways]
    phrases += [p for words in asking.regions.values() for p in words]
    phrases += [p for topic in asking.topics.values() for p in topic.asks]
    phrases += [f"{t.term} {' '.join(t.aliases)}" for t in kb.glossary.values()]
    if DEFAULT_PROCEDURE in kb.procedures:
        proc = kb.procedures[DEFAULT_PROCEDURE]
        phrases += [d.text for d in procedure_documents(proc, wording)]
    for phrase in phrases:
        found.update(words_of(phrase))
    return found


def _mend(kb: KnowledgeBase, words: list[str], wording: Wording) -> list[str]:
    """*words* with each unknown word of five letters or more replaced by the closest
    known one ("endoscpic" -> "endoscopic"), when one is close enough (shorter words
    are too often other words: "tall" is not "all")."""
    known = _vocabulary(kb, wording)
    unknown = [w for w in words if len(w) >= 5 and w not in known and not w.isdigit()]
    if not unknown:
        return words
    import difflib  # only for a misspelt word: 0.6 ms of every other start

    choices = sorted(known)
    mended = {}
    for word in unknown:
        close = difflib.get_close_matches(word, choices, n=1, cutoff=SPELLING_CUTOFF)
        if close:
            mended[word] = close[0]
    return [mended.get(w, w) for w in words]


def _region(kb: KnowledgeBase, words: Sequence[str]) -> Region | None:
    """The one region the question's words name ("my neck"), if they name just one."""
    text = f" {' '.join(words)} "
    named = {
        region
        for region, phrases in kb.asking.regions.items()
        if any(f" {' '.join(words_of(p))} " in text for p in phrases)
    }
    return named.pop() if len(named) == 1 else None


# -- choosing the answers ------------------------------------------------------


def _candidates(kb: KnowledgeBase, named: Sequence[str], region: Region | None) -> list[Procedure]:
    """The procedures to answer from: the named one, else the default page."""
    if named:
        return [kb.procedures[p] for p in named]
    if DEFAULT_PROCEDURE in kb.procedures:
        return [kb.procedures[DEFAULT_PROCEDURE]]
    procs = sorted(kb.procedures.values(), key=lambda p: p.id)
    return [p for p in procs if region is None or not p.regions or region in p.regions]


def _own_region(proc: Procedure) -> Region | None:
    return proc.regions[0] if len(proc.regions) == 1 else None


def _units(
    kb: KnowledgeBase, procs: Sequence[Procedure], region: Region | None, wording: Wording
) -> list[_Unit]:
    """Every point and aspect value of *procs* that may hold for *region*."""
    units = []
    for proc in procs:
        own = _own_region(proc)
        for section in proc.sections:
            for point in section.points:
                where = point.region or own
                if region is not None and where is not None and where is not region:
                    continue
                label = f"{point.label}. {point.label}: " if point.label else ""
                doc = Document(proc.id, section.key, label + point.text)
                units.append(_Unit(proc, AnswerKind.SECTION, section.key, where, point, doc))
        for spec in ASPECTS:
            values = proc.aspect_values(spec.key)
            if region is not None:
                picked = pick_value(values, region, proc.regions)
                values = (picked,) if picked is not None else ()
            for value in values:
                doc = aspect_document(proc, value, wording)
                where = value.region or own
                units.append(_Unit(proc, AnswerKind.ASPECT, spec.key, where, None, doc, value))
    return units


def _scores(
    units: Sequence[_Unit], query: Query, ways: Ways, language: Language
) -> tuple[list[float], float, float]:
    """Each unit's score, and the best closeness and the best coverage found."""
    tokenised = [terms(u.document.text, language) for u in units]
    content = [0.0] * len(units)
    coverage = [0.0] * len(units)
    typed = {t for t, w in query.wanted.items() if w == 1}
    weight = _content_idf(tokenised)
    total = sum(weight(t) for t in typed) or 1.0
    for n, score, matched in rank([u.document for u in units], tokenised, query):
        content[n] = score
        coverage[n] = sum(weight(t) for t in query.covered(matched)) / total
    best = max(content, default=0.0) or 1.0
    closeness = {key: ways.closeness(w, query) for key, w in ways.places.items()}
    scores = [
        INTENT_WEIGHT * closeness[u.place] + CONTENT_WEIGHT * content[n] / best * coverage[n]
        for n, u in enumerate(units)
    ]
    return scores, max(closeness.values(), default=0.0), max(coverage, default=0.0)


def _content_idf(tokenised: Sequence[Sequence[str]]) -> Callable[[str], float]:
    """The idf of a stem among the page's points; a stem on none weighs the most."""
    df = Counter(t for words in tokenised for t in set(words))
    count = len(tokenised) + 1

    def idf(stem: str) -> float:
        return math.log(1 + count / (df.get(stem, 0) + 0.5))

    return idf


def _answers(
    kb: KnowledgeBase,
    named: Sequence[str],
    query: Query,
    ways: Ways,
    wording: Wording,
    region: Region | None,
    limit: int,
) -> list[Answer]:
    """The best cards from one procedure's page (or the default page)."""
    procs = _candidates(kb, named, region)
    units = _units(kb, procs, region, wording)
    scores, closest, covered = _scores(units, query, ways, wording.language)
    topic, near = _topic(kb, ways, query)
    if topic is not None and near >= ANSWERED and near >= max(closest, covered):
        return [_topic_answer(kb, topic, procs[0] if named else None, region)]
    if closest < ANSWERED and covered < COVERED:
        if topic is not None and near >= 0.3:
            return [_topic_answer(kb, topic, None, region)]
        if named and not query.wanted:  # only a name ("PECF"): what it is
            return [_card(kb, u, region) for u in units if u.place == "what"][:1]
        return []
    order = sorted(range(len(units)), key=lambda n: -scores[n])
    best = scores[order[0]] if order else 0.0
    chosen: list[int] = []
    seen: set[tuple[str, str]] = set()
    for n in order:  # first one card a place, then more of the same place if close
        if len(chosen) >= limit or scores[n] < KEEP * best:
            break
        place = (units[n].procedure.id, units[n].place)
        if place not in seen:
            chosen.append(n)
            seen.add(place)
    for n in order:
        if len(chosen) >= limit or scores[n] < 0.8 * best:
            break
        if n not in chosen:
            chosen.append(n)
    chosen.sort(key=lambda n: -scores[n])
    return [_card(kb, units[n], region) for n in chosen]


def _topic(kb: KnowledgeBase, ways: Ways, query: Query) -> tuple[Topic | None, float]:
    """The no-good-evidence topic nearest the question, and how near it is."""
    near = {key: ways.closeness(w, query) for key, w in ways.topics.items()}
    if not near:
        return None, 0.0
    key = max(near, key=lambda k: near[k])
    return kb.asking.topics[key], near[key]


def _topic_answer(
    kb: KnowledgeBase, topic: Topic | None, proc: Procedure | None, region: Region | None
) -> Answer:
    assert topic is not None
    more = ("explain", short_name(kb, proc), "-s", "questions") if proc is not None else ()
    return Answer(AnswerKind.TOPIC, topic.key, proc, region, topic=topic, more=more)


def _card(kb: KnowledgeBase, unit: _Unit, region: Region | None) -> Answer:
    proc = unit.procedure
    if unit.kind is AnswerKind.ASPECT:
        other = _partner(kb, proc, unit.place)
        row = ("compare", short_name(kb, proc), short_name(kb, other), "-a", unit.place)
        return Answer(unit.kind, unit.place, proc, unit.region, value=unit.value, more=row)
    more: tuple[str, ...] = ("explain", short_name(kb, proc), "-s", unit.place)
    if unit.region is not None and len(proc.regions) > 1:
        more += ("--region", REGION_FLAGS[unit.region])
    return Answer(unit.kind, unit.place, proc, unit.region, point=unit.point, more=more)


def _partner(kb: KnowledgeBase, proc: Procedure, aspect: str) -> Procedure:
    """The procedure to show *proc*'s *aspect* beside: one it was compared with on that
    row, else open or endoscopic foraminotomy."""
    for found in proc.comparisons:
        if found.aspect == aspect and found.other in kb.procedures:
            return kb.procedures[found.other]
    for pid in (DEFAULT_PROCEDURE, "open-foraminotomy", *sorted(kb.procedures)):
        if pid != proc.id and pid in kb.procedures:
            return kb.procedures[pid]
    return proc


def short_name(kb: KnowledgeBase, proc: Procedure) -> str:
    """The first one-word name that leads to *proc* ("open"), else its id."""
    names = procedure_names(kb)
    words = [a for a in proc.aliases if " " not in a and names.get(a.casefold()) == proc.id]
    return words[0] if words and len(words[0]) < len(proc.id) else proc.id


# -- two or more procedures: the compare rows -----------------------------------


def _side_by_side(
    kb: KnowledgeBase,
    named: Sequence[str],
    query: Query,
    ways: Ways,
    wording: Wording,
    region: Region | None,
    limit: int,
) -> list[Answer]:
    """One card per named procedure for the aspect asked about, then what head-to-head
    studies found."""
    procs = [kb.procedures[p] for p in named]
    units = [u for u in _units(kb, procs, None, wording) if u.kind is AnswerKind.ASPECT]
    aspect = "pain-relief"  # "which is better": how well each works
    if query.wanted and units:
        scores, _, _ = _scores(units, query, ways, wording.language)
        best = max(range(len(units)), key=lambda n: scores[n])
        if scores[best] > 0.15:
            aspect = units[best].place
    cards = []
    for proc in procs:
        values = proc.aspect_values(aspect)
        if region is not None:
            picked = pick_value(values, region, proc.regions)
            values = (picked,) if picked is not None else ()
        more = ("compare", *(short_name(kb, p) for p in procs), "-a", aspect)
        for value in values:
            own = value.region or _own_region(proc)
            cards.append(Answer(AnswerKind.ASPECT, aspect, proc, own, value=value, more=more))
    shown = {p.id for p in procs}
    for proc in procs:
        for found in proc.comparisons:
            elsewhere = region is not None and found.region not in (None, region)
            if found.aspect == aspect and found.other in shown and not elsewhere:
                more = ("compare", short_name(kb, proc), short_name(kb, kb.procedures[found.other]))
                finding = HeadToHead(proc, found, kb.procedures[found.other])
                cards.append(
                    Answer(
                        AnswerKind.FINDING,
                        aspect,
                        proc,
                        found.region,
                        finding=finding,
                        more=(*more, "-a", aspect),
                    )
                )
    return cards[: max(limit, len(procs))]
