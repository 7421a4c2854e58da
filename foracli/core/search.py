"""Full-text search over points, aspects, sources and the glossary.

Words match regardless of case, accents, British or US spelling and word endings
(the Snowball English stemmer: "herniated" finds "herniation"), and through the
knowledge base's synonyms ("reoperation" finds "another operation"). A procedure
named in the query narrows the search to it. Ranking is BM25 over whole points,
so a hit carries its number and what the number is about.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from foracli.core.model import (
    ASPECT_KEYS,
    ASPECTS,
    SECTIONS,
    AspectValue,
    KnowledgeBase,
    Procedure,
    end_sentence,
)
from foracli.core.record import field, record
from foracli.core.text import fold, normalise_name

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs 2 ms of every start
if TYPE_CHECKING:
    from typing import Any, Protocol

    class Wording(Protocol):
        """What search needs of content: its language, and how an aspect reads on a page."""

        @property
        def language(self) -> Language: ...

        def aspect_label(self, key: str) -> str: ...

        def amount(self, value: AspectValue, *, with_text: bool = True) -> str: ...


@record
class Language:
    """What matching needs of a language (content supplies it): the words that carry
    no meaning ("how long off work" -> "work") and the everyday words people type for
    what the text calls something else."""

    stopwords: frozenset[str]
    synonyms: Mapping[str, str]
    asking_stopwords: frozenset[str] = frozenset()  # fewer: "how long", "when" tell intent

    @property
    def asking(self) -> Language:
        """The same language with only the asking stopwords, for telling intent."""
        return Language(self.asking_stopwords, self.synonyms, self.asking_stopwords)


# Source titles help clinicians, but patient text should come first.
WEIGHTS = {"sources": 0.6, "glossary": 1.2}
ASPECT_WEIGHT = 1.3  # an aspect is the short, comparable answer to "how long / how much"
SYNONYM_WEIGHT = 0.5  # a word the question did not use counts for less than one it did
INTENT_HIT = 0.6  # closeness to a way of asking for an aspect that makes it a hit
MAIN_PAGE = "endoscopic-foraminotomy"  # query.DEFAULT_PROCEDURE (query imports this module)
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
K1, B = 1.2, 0.75


@functools.cache
def _stemmer() -> Any:
    # Snowball's English (Porter2) stemmer: ours kept "herniated"/"herniation",
    # "injected"/"injection" and "numb"/"numbness" apart. Imported on first use only.
    from snowballstemmer import stemmer

    return stemmer("english")


# A memo of a pure function (a word's stem never depends on the knowledge base):
# stemming every word of the pages costs ~50 ms in pure Python, so a cache may hand
# in the stems an earlier run worked out (remember_stems) and keep the new ones.
_STEMS: dict[str, str] = {}


# Where earlier stems come from, asked only when a word's stem is first missing: a
# run that stems nothing (explain) neither reads nor checks the stored stems.
_EARLIER: list[Callable[[], Mapping[str, str]]] = []


def stem(word: str) -> str:
    """The Snowball English stem of *word* ("herniation" and "herniated" -> "herniat",
    "numbness" -> "numb", "nerves" -> "nerv")."""
    found = _STEMS.get(word)
    if found is None:
        if _EARLIER:
            remember_stems(_EARLIER.pop()())
            found = _STEMS.get(word)
        if found is None:
            found = _STEMS[word] = str(_stemmer().stemWord(word))
    return found


def remember_stems(table: Mapping[str, str]) -> None:
    """Take in stems worked out before (by this same stemmer: the caller checks)."""
    _STEMS.update(table)


def remember_stems_from(load: Callable[[], Mapping[str, str]]) -> None:
    """Take in the stems *load* returns, the first time a stem is not known."""
    _EARLIER[:] = [load]


def known_stems() -> dict[str, str]:
    """Every stem worked out or taken in so far."""
    return dict(_STEMS)


def terms(text: str, language: Language) -> list[str]:
    """The stemmed, meaningful words of *text* (British spellings folded: "ae" -> "e")."""
    stop, synonyms, known = language.stopwords, language.synonyms, _STEMS
    found = []
    for word in _WORD.findall(fold(text)):  # every point of every page: kept lean
        if word in stop:
            continue
        if "ae" in word:
            word = word.replace("ae", "e")
        word = synonyms.get(word, word)
        found.append(known.get(word) or stem(word))
    return found


def words_of(text: str) -> list[str]:
    """The folded words of *text*, in order, nothing dropped."""
    return _WORD.findall(fold(text))


@record
class Synonyms:
    """Groups of words or phrases that mean the same, as folded word tuples; a phrase
    found in a question brings in the words of the others."""

    groups: tuple[tuple[tuple[str, ...], ...], ...]

    @classmethod
    def of(cls, kb: KnowledgeBase) -> Synonyms:
        """The knowledge base's synonym groups, and each glossary term with its aliases."""
        raw: list[Sequence[str]] = list(kb.asking.synonyms)
        raw += [(t.term, *t.aliases) for t in kb.glossary.values() if t.aliases]
        split = [[tuple(words_of(p)) for p in group] for group in raw]
        groups = tuple(tuple(words for words in group if words) for group in split)
        return cls(groups)

    def expand(self, words: Sequence[str]) -> list[tuple[tuple[str, ...], list[str]]]:
        """For every group a phrase of *words* is in: that phrase, and the words of all
        the group's phrases."""
        text = f" {' '.join(words)} "
        found = []
        for group in self.groups:
            hit = next((p for p in group if f" {' '.join(p)} " in text), None)
            if hit is not None:
                found.append((hit, [w for p in group for w in p]))
        return found


def named_procedures(kb: KnowledgeBase, words: Sequence[str]) -> tuple[list[str], list[int]]:
    """The procedure ids *words* name (any name, alias or everyday name, longest first,
    in the order named) and the positions of the words that named them."""
    from foracli.core.query import procedure_names  # query imports this module

    names = dict(procedure_names(kb))
    names.update({normalise_name(k): v for k, v in kb.asking.names.items()})
    longest = max((n.count("-") + 1 for n in names), default=0)
    found: list[tuple[int, str]] = []
    used: list[int] = []
    i = 0
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            pid = names.get("-".join(words[i : i + size]))
            if pid is not None and pid in kb.procedures:
                found.append((i, pid))
                used += range(i, i + size)
                i += size
                break
        else:
            i += 1
    return list(dict.fromkeys(pid for _, pid in found)), used


@record
class Document:
    """One searchable point, aspect value, term or source, and where it comes from."""

    procedure: str  # a procedure id, or "glossary" / "sources"
    section: str  # a section key, an aspect key, a term or a source id
    text: str


@record
class Hit:
    """A ranked match: the document and the words in it that matched."""

    document: Document
    score: float
    matched: tuple[str, ...]


def procedure_documents(proc: Procedure, wording: Wording) -> Iterator[Document]:
    """Every point (label and text together) and aspect value of one procedure."""
    yield Document(proc.id, "summary", proc.summary)
    for section in proc.sections:
        for point in section.points:
            text = f"{point.label}: {point.text}" if point.label else point.text
            yield Document(proc.id, section.key, text)
    for spec in ASPECTS:
        for value in proc.aspect_values(spec.key):
            yield aspect_document(proc, value, wording)


def aspect_document(proc: Procedure, value: AspectValue, wording: Wording) -> Document:
    """One aspect value of *proc* as a searchable document."""
    label = wording.aspect_label(value.key)
    parts = [label + ":", end_sentence(wording.amount(value)), value.note or ""]
    return Document(proc.id, value.key, " ".join(p for p in parts if p))


def documents(
    kb: KnowledgeBase, wording: Wording, procedures: Iterable[str] | None = None
) -> Iterator[Document]:
    """Every document the knowledge base can show (only *procedures*' when given)."""
    chosen = kb.procedures if procedures is None else procedures
    for pid in chosen:
        yield from procedure_documents(kb.procedures[pid], wording)
    if procedures is not None:
        return
    for term in kb.glossary.values():
        yield Document("glossary", term.key, f"{term.term}: {term.definition}")
    for source in kb.sources.values():
        about = [source.title, source.authors, source.journal, source.result]
        yield Document("sources", source.id, " ".join(p for p in about if p))


@record
class Query:
    """What a query asks for, in stems: the words typed and the synonyms they bring."""

    wanted: dict[str, float]  # stem -> weight (1 for a typed word, less for a synonym)
    procedures: tuple[str, ...]  # the procedures it names
    words: tuple[str, ...] = ()  # the folded words, names taken out
    # Each typed stem -> the stems that say the same (found, they count as it).
    alternatives: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @property
    def phrase(self) -> str:
        """The typed stems as one phrase."""
        return " ".join(t for t, w in self.wanted.items() if w == 1.0)

    def covered(self, matched: Iterable[str]) -> set[str]:
        """The typed stems *matched* (or a synonym of theirs) stands for."""
        found = set(matched)
        return {
            t
            for t, w in self.wanted.items()
            if w == 1.0 and (t in found or self.alternatives.get(t, frozenset()) & found)
        }


def query_of(
    kb: KnowledgeBase, words: Sequence[str], language: Language, procedures: Sequence[str] = ()
) -> Query:
    """*words* (names taken out) as weighted stems, with the synonyms their phrases bring."""
    wanted = dict.fromkeys(terms(" ".join(words), language), 1.0)
    alternatives: dict[str, frozenset[str]] = {}
    for trigger, extra in Synonyms.of(kb).expand(words):
        stems = frozenset(terms(" ".join(extra), language))
        for t in terms(" ".join(trigger), language):
            alternatives[t] = alternatives.get(t, frozenset()) | stems
        for t in stems:
            wanted.setdefault(t, SYNONYM_WEIGHT)
    return Query(wanted, tuple(procedures), tuple(words), alternatives)


def read_query(kb: KnowledgeBase, text: str, language: Language) -> Query:
    """*text* as stems and weights, with the procedures it names taken out."""
    words = words_of(text)
    procedures, used = named_procedures(kb, words)
    rest = [w for i, w in enumerate(words) if i not in used]
    return query_of(kb, rest, language, procedures)


@record
class Ways:
    """The ways patients ask for each place (aspect or section) and each no-evidence
    topic: as stem sets (few stopwords: "how long" tells intent) and as folded word
    phrases, with the weight (idf) of each stem among all of them."""

    places: dict[str, list[tuple[frozenset[str], str]]]
    topics: dict[str, list[tuple[frozenset[str], str]]]
    idf: dict[str, float]
    language: Language

    @classmethod
    def of(cls, kb: KnowledgeBase, language: Language) -> Ways:
        """The ways of *kb*, each place's key and aliases among them."""
        asking = language.asking
        fixed: list[tuple[str, Iterable[str]]] = [(s.key, s.aliases) for s in SECTIONS]
        fixed += [(a.key, a.aliases) for a in ASPECTS]

        def read(phrases: Iterable[str]) -> list[tuple[frozenset[str], str]]:
            found = []
            for phrase in phrases:
                words = words_of(phrase)
                found.append((frozenset(terms(" ".join(words), asking)), " ".join(words)))
            return found

        places = {
            key: read(
                [
                    *kb.asking.places.get(key, ()),
                    key.replace("-", " "),
                    *(a.replace("-", " ") for a in aliases),
                ]
            )
            for key, aliases in fixed
        }
        topics = {key: read(topic.asks) for key, topic in kb.asking.topics.items()}
        every = [way for group in (*places.values(), *topics.values()) for way, _ in group if way]
        df = Counter(t for way in every for t in way)
        idf = {t: math.log(1 + len(every) / n) for t, n in df.items()}
        return cls(places, topics, idf, asking)

    def closeness(self, ways: Sequence[tuple[frozenset[str], str]], query: Query) -> float:
        """How close the question is to the nearest of *ways*: a cosine of idf-weighted
        stems (0 to 1), plus a half for a way of two or more words asked word for word."""
        asked = dict.fromkeys(terms(" ".join(query.words), self.language), 1.0)
        for t, weight in query.wanted.items():  # the synonyms the question brought in
            asked.setdefault(t, weight)
        if not asked:
            return 0.0
        top = max(self.idf.values(), default=1.0)
        size = sum(self.idf.get(t, top) ** 2 * w for t, w in asked.items() if w == 1.0)
        text = f" {' '.join(query.words)} "
        best = 0.0
        for way, phrase in ways:
            if not way:
                continue
            shared = sum(self.idf.get(t, top) ** 2 * asked[t] for t in way & asked.keys())
            score = shared / math.sqrt(
                max(size, 1e-9) * sum(self.idf.get(t, top) ** 2 for t in way)
            )
            if " " in phrase and f" {phrase} " in text:
                score += 0.5
            best = max(best, score)
        return best


def rank(
    docs: Sequence[Document], tokenised: Sequence[Sequence[str]], query: Query
) -> list[tuple[int, float, tuple[str, ...]]]:
    """(index, BM25 score, matched stems) of every document that matches *query*."""
    average = sum(map(len, tokenised)) / max(len(tokenised), 1)
    frequency = Counter(t for words in tokenised for t in set(words))
    typed = [t for t, w in query.wanted.items() if w == 1.0]
    phrase = query.phrase
    found = []
    for n, words in enumerate(tokenised):
        counts = Counter(words)
        matched = [t for t in query.wanted if counts[t]]
        if not matched:
            continue
        score = 0.0
        for t in matched:
            idf = math.log(1 + (len(docs) - frequency[t] + 0.5) / (frequency[t] + 0.5))
            tf = counts[t]
            part = idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * len(words) / average))
            score += part * query.wanted[t]
        # All typed words present, and better still as a phrase: those are what people meant.
        hit_typed = sum(1 for t in typed if counts[t])
        score *= 1 + hit_typed / max(len(typed), 1)
        if len(typed) > 1 and phrase in " ".join(words):
            score *= 1.5
        found.append((n, score, tuple(matched)))
    return found


def search(
    kb: KnowledgeBase,
    query: str,
    wording: Wording,
    *,
    limit: int = 20,
    keep: Callable[[Hit], bool] | None = None,
) -> list[Hit]:
    """The best *limit* matches for *query* that *keep* accepts, best first (BM25 over
    whole points; *keep* narrows the hits, never the scores)."""
    language = wording.language
    asked = read_query(kb, query, language)
    if not asked.wanted and not asked.procedures:
        return []
    docs = list(documents(kb, wording, asked.procedures or None))
    if not asked.wanted:  # only a procedure named: its summary
        summaries = [Hit(d, 1.0, ()) for d in docs if d.section == "summary"]
        return [h for h in summaries if keep is None or keep(h)][:limit]
    tokenised = [terms(d.text, language) for d in docs]
    ways = Ways.of(kb, language)
    # A part of a page asked for the way patients ask for it ("when can I drive") ranks up.
    intent = {key: ways.closeness(found, asked) for key, found in ways.places.items()}
    found = {n: (score, matched) for n, score, matched in rank(docs, tokenised, asked)}
    typical = sorted(score for score, _ in found.values())[len(found) // 2] if found else 1.0
    hits = []
    for n, doc in enumerate(docs):
        score, matched = found.get(n, (0.0, ()))
        score *= WEIGHTS.get(doc.procedure, ASPECT_WEIGHT if doc.section in ASPECT_KEYS else 1.0)
        closeness = intent.get(doc.section, 0.0)
        score *= 1 + closeness
        # An aspect asked for by name or the way patients ask ("is it safe" -> main
        # risks) is a hit even when its text does not use the question's words.
        if doc.section in ASPECT_KEYS and closeness >= INTENT_HIT:
            score += closeness * typical
        if score > 0:
            hit = Hit(doc, score, matched)
            if keep is None or keep(hit):
                hits.append(hit)
    # Ties go to the main page first (the same point is often on several pages).
    hits.sort(
        key=lambda h: (
            -h.score,
            h.document.procedure != MAIN_PAGE,
            h.document.procedure,
            h.document.section,
        )
    )
    return hits[:limit]


def _place(hit: Hit) -> tuple[str, str]:
    return hit.document.procedure, hit.document.section


def highlight_spans(
    text: str, matched: tuple[str, ...], language: Language
) -> list[tuple[int, int]]:
    """Character spans of the words in *text* whose stems are in *matched*."""
    wanted = set(matched)
    spans = []
    for match in _WORD.finditer(text):
        found = terms(match.group(), language)
        if found[:1] and found[0] in wanted:
            spans.append(match.span())
    return spans
