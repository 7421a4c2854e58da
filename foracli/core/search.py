"""Full-text search over sections, aspects, source titles and the glossary.

Words match regardless of case, accents and simple plural or verb endings, so
"nerves" finds "nerve" and "how long off work" finds the return-to-work text.
Ranking is BM25 over sentences, with a boost where a whole phrase matches.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Protocol

from foracli.core.model import ASPECT_KEYS, ASPECTS, AspectValue, KnowledgeBase
from foracli.core.text import fold


@dataclass(frozen=True)
class Language:
    """What matching needs of a language (content supplies it): the words that carry
    no meaning ("how long off work" -> "work") and the everyday words people type for
    what the text calls something else."""

    stopwords: frozenset[str]
    synonyms: Mapping[str, str]


class Wording(Protocol):
    """What search needs of content: its language, and how an aspect reads on a page."""

    @property
    def language(self) -> Language: ...

    def aspect_label(self, key: str) -> str: ...

    def amount(self, value: AspectValue, *, with_text: bool = True) -> str: ...


# Source titles help clinicians, but patient text should come first.
WEIGHTS = {"sources": 0.6, "glossary": 1.2}
ASPECT_WEIGHT = 1.3  # an aspect is the short, comparable answer to "how long / how much"
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
K1, B = 1.2, 0.75


@functools.cache  # a knowledge base has far fewer distinct words than words
def stem(word: str) -> str:
    """A light English stemmer: enough for plurals and common verb endings."""
    for suffix, replacement in (
        ("ies", "y"),
        ("ied", "y"),
        ("sses", "ss"),
        ("ches", "ch"),
        ("shes", "sh"),
        ("xes", "x"),
        ("ing", ""),
        ("ed", ""),
        ("s", ""),
    ):
        if not word.endswith(suffix) or len(word) - len(suffix) < 3:
            continue
        if suffix == "s" and word.endswith(("ss", "us", "is")):
            break
        word = word[: len(word) - len(suffix)] + replacement
        # "stopping" -> "stopp" -> "stop"
        if suffix in ("ing", "ed") and len(word) > 3 and word[-1] == word[-2]:
            word = word[:-1]
        break
    # "nerve" and "nerves" (-> "nerve") meet at "nerv"; "heal" and "healed" at "heal".
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


def terms(text: str, language: Language) -> list[str]:
    """The stemmed, meaningful words of *text* (British spellings folded: "ae" -> "e")."""
    stop, synonyms = language.stopwords, language.synonyms
    words = (w.replace("ae", "e") for w in _WORD.findall(fold(text)) if w not in stop)
    return [stem(synonyms.get(w, w)) for w in words]


@dataclass(frozen=True)
class Document:
    """One searchable sentence and where it comes from."""

    procedure: str  # a procedure id, or "glossary" / "sources"
    section: str  # a section key, an aspect key, a term or a source id
    text: str


@dataclass(frozen=True)
class Hit:
    """A ranked match: the document and the words in it that matched."""

    document: Document
    score: float
    matched: tuple[str, ...]


def documents(kb: KnowledgeBase, wording: Wording) -> Iterator[Document]:
    """Every sentence the knowledge base can show, with its place."""
    for proc in kb.procedures.values():
        yield Document(proc.id, "summary", proc.summary)
        for section in proc.sections:
            for point in section.points:
                text = f"{point.label}: {point.text}" if point.label else point.text
                for sentence in split_sentences(text):
                    yield Document(proc.id, section.key, sentence)
        for spec in ASPECTS:
            value = proc.aspects.get(spec.key)
            if value is None:
                continue
            label = wording.aspect_label(spec.key)
            parts = [label + ":", wording.amount(value) + ".", value.note or ""]
            yield Document(proc.id, spec.key, " ".join(p for p in parts if p))
    for term in kb.glossary.values():
        yield Document("glossary", term.key, f"{term.term}: {term.definition}")
    for source in kb.sources.values():
        yield Document("sources", source.id, source.title)


def split_sentences(text: str) -> list[str]:
    """Sentences of *text*, keeping a leading label with the first one."""
    return [s for s in _SENTENCE.split(text) if s.strip()]


def search(kb: KnowledgeBase, query: str, wording: Wording, *, limit: int = 20) -> list[Hit]:
    """The best *limit* matches for *query*, best first (BM25 over sentences)."""
    language = wording.language
    wanted = list(dict.fromkeys(terms(query, language)))
    if not wanted:
        return []
    docs = list(documents(kb, wording))
    tokenised = [terms(d.text, language) for d in docs]
    average = sum(map(len, tokenised)) / max(len(tokenised), 1)
    frequency = Counter(t for words in tokenised for t in set(words))
    phrase = " ".join(wanted)
    hits = []
    for doc, words in zip(docs, tokenised, strict=True):
        counts = Counter(words)
        matched = [t for t in wanted if counts[t]]
        if not matched:
            continue
        score = 0.0
        for t in matched:
            idf = math.log(1 + (len(docs) - frequency[t] + 0.5) / (frequency[t] + 0.5))
            tf = counts[t]
            score += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * len(words) / average))
        # All words present, and better still as a phrase: those are what people meant.
        score *= 1 + len(matched) / len(wanted)
        if len(wanted) > 1 and phrase in " ".join(words):
            score *= 1.5
        score *= WEIGHTS.get(doc.procedure, ASPECT_WEIGHT if doc.section in ASPECT_KEYS else 1.0)
        hits.append(Hit(doc, score, tuple(matched)))
    hits.sort(key=lambda h: (-h.score, h.document.procedure, h.document.section))
    return hits[:limit]


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
