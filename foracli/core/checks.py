"""Content rules that `foracli validate` reports as warnings.

The loader's errors make a knowledge base unusable; these make it worse to read
or to trust, so they are reported, not fatal (`--strict` makes them fail).
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from foracli.core.errors import Problem
from foracli.core.figures import figure_problems
from foracli.core.model import Gap, KnowledgeBase, Procedure, Source, StudyType, end_sentence

# Medical words that need a glossary entry wherever the text uses them. Readability
# formulas undercount their syllables, so a grade gate alone would not catch them.
_MEDICAL_TEXT = (
    "foramen foraminotomy stenosis ligament lamina facet disc sciatica radiculopathy "
    "myelopathy fusion endoscope endoscopic decompression discectomy laminectomy "
    "laminotomy vertebra vertebrae dural dysaesthesia anaesthetic anaesthesia epidural "
    "steroid spondylolisthesis cauda equina catheter haematoma fluoroscopy biportal "
    "tubular interlaminar transforaminal cervical lumbar radiculitis osteophyte kyphosis "
    "meningitis"
)
MEDICAL_WORDS = frozenset(_MEDICAL_TEXT.split())
SECTION_GRADE_LIMIT = 8.0  # Flesch-Kincaid, for sections of 3+ sentences and 40+ words
MAX_SENTENCE_WORDS = 25
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*|\d[\d,]*")
_VOWELS = re.compile(r"[aeiouy]+")


# Hosts that republish other people's papers (mirrors, aggregators, document-sharing
# sites, library proxies): a source should link the original instead. README lists them.
MIRROR_HOSTS = frozenset(
    {
        "vukou.com",
        "readkong.com",
        "scribd.com",
        "docslib.org",
        "paperexplained.cn",
        "e-healthdomains.com",
        "booksci.cn",
        "bohrium.dp.tech",
        "discovery.researcher.life",
        "proxy.weglot.com",
        "vdocuments.mx",
        "vdocument.in",
        "doczz.net",
        "healthmedicinet.com",
        "elogim.com",
        "cambridgecore.org",
        "ouci.dntb.gov.ua",
        "medluna.com",
        "metajournal.com",
        "ai-bt.com",
        "biocloudy.com",
        "studyres.com",
        "fdocuments.us",
        "fdocuments.in",
        "dokumen.tips",
        "5dok.net",
        "kundoc.com",
        "clinicalgate.com",
        "musculoskeletalkey.com",
        "pubcompare.ai",
        "websiteproxy.net",
        "coek.info",
        "123docz.net",
        "researchgate.net",
        "semanticscholar.org",
        "academia.edu",
        "scite.ai",
        "x-mol.com",
        "cld.bz",
        "47.251.13.51",
    }
)
# Kinds of source that are web pages, not papers: no year or identifier is expected.
WEB_PAGES = frozenset({StudyType.PRACTICE_PAGE, StudyType.PATIENT_INFORMATION, StudyType.WEBSITE})


def mirror_host(url: str | None) -> str | None:
    """The mirror or aggregator host *url* points to (see MIRROR_HOSTS), if any."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return next((m for m in MIRROR_HOSTS if host == m or host.endswith("." + m)), None)


def _source_warnings(source: Source) -> list[tuple[str, dict[str, object]]]:
    """What a clinician could not follow in *source*: a paper without a year or a
    way to find it, and any link to a copy instead of the original."""
    found: list[tuple[str, dict[str, object]]] = []
    mirror = mirror_host(source.url)
    gaps = set(source.not_found)
    if source.type not in WEB_PAGES:
        if source.year is None and Gap.YEAR not in gaps:
            found.append(("paper-no-year", {"id": source.id}))
        linked = source.doi or source.pmid or (source.url and mirror is None)
        if not linked and Gap.IDENTIFIER not in gaps:
            found.append(("paper-no-link", {"id": source.id}))
    if mirror is not None and Gap.ORIGINAL not in gaps:
        found.append(("mirror-link", {"id": source.id, "host": mirror}))
    # A gap said to be unfound that is there after all: the note is out of date.
    present = {
        Gap.YEAR: source.year is not None,
        Gap.IDENTIFIER: bool(source.doi or source.pmid),
        Gap.ORIGINAL: bool(source.url) and mirror is None,
    }
    found += [
        ("gap-filled", {"id": source.id, "gap": g.value}) for g in source.not_found if present[g]
    ]
    return found


def _warning(path: str, at: tuple[int, int], key: str, **fields: object) -> Problem:
    """A warning whose words content supplies (content.Words.problem), by *key*."""
    return Problem(path, *at, "", "warning", key=key, fields=tuple(fields.items()))


def content_warnings(kb: KnowledgeBase, today: dt.date) -> list[Problem]:
    """Every content warning for *kb*, in file order."""
    warnings: list[Problem] = []
    cited = {sid for proc in kb.procedures.values() for sid in proc.cited_sources()}
    cited |= {sid for term in kb.glossary.values() for sid in term.sources}
    for source in kb.sources.values():
        if source.id not in cited:
            warnings.append(
                _warning(source.path, (source.line, source.column), "uncited", id=source.id)
            )
        for key, fields in _source_warnings(source):
            warnings.append(_warning(source.path, (source.line, source.column), key, **fields))
    defined = glossary_words(kb)
    for proc in kb.procedures.values():
        warnings.extend(_procedure_warnings(proc, today))
        warnings.extend(_undefined_terms(proc, defined))
        warnings.extend(_warning(proc.path, (1, 1), k, **f) for k, f in figure_problems(proc))
    return sorted(warnings, key=lambda p: (p.path, p.line, p.column))


def _procedure_warnings(proc: Procedure, today: dt.date) -> list[Problem]:
    found = []
    if proc.next_review <= today:
        line, column = proc.next_review_at
        found.append(
            _warning(proc.path, (line, column), "review-due", date=proc.next_review.isoformat())
        )
    for section in proc.sections:
        text = " ".join(end_sentence(p.text) for p in section.points)
        sentences, words, syllables = _counts(text)
        if sentences >= 3 and words >= 40:
            grade = flesch_kincaid_grade(sentences, words, syllables)
            if grade > SECTION_GRADE_LIMIT:
                found.append(
                    _warning(
                        proc.path,
                        (1, 1),
                        "grade",
                        section=section.key,
                        grade=f"{grade:.1f}",
                        limit=f"{SECTION_GRADE_LIMIT:.0f}",
                    )
                )
        for sentence in _SENTENCE.findall(text):
            count = len(_WORD.findall(sentence))
            if count > MAX_SENTENCE_WORDS:
                found.append(
                    _warning(
                        proc.path,
                        (1, 1),
                        "long-sentence",
                        section=section.key,
                        count=count,
                        limit=MAX_SENTENCE_WORDS,
                        start=sentence.strip()[:60],
                    )
                )
    return found


def glossary_words(kb: KnowledgeBase) -> set[str]:
    """Every word form the glossary defines: keys, terms and aliases, with plural forms."""
    words: set[str] = set()
    for term in kb.glossary.values():
        for name in (term.key, term.term, *term.aliases):
            for word in re.findall(r"[a-z][a-z'-]*", name.lower()):
                words |= {word, word + "s", word + "es", word.removesuffix("s")}
    return words


def _undefined_terms(proc: Procedure, defined: set[str]) -> list[Problem]:
    found: dict[str, str] = {}
    for section in proc.sections:
        for point in section.points:
            for word in re.findall(r"[A-Za-z][A-Za-z'-]*", point.text):
                lowered = word.lower()
                if lowered in MEDICAL_WORDS and lowered not in defined:
                    found.setdefault(lowered, section.key)
    return [
        _warning(proc.path, (1, 1), "undefined-term", word=word, section=section)
        for word, section in found.items()
    ]


def _counts(text: str) -> tuple[int, int, int]:
    sentences = [s for s in _SENTENCE.findall(text) if _WORD.search(s)]
    words = _WORD.findall(text)
    syllables = sum(estimate_syllables(w) for w in words)
    return len(sentences), len(words), syllables


def estimate_syllables(word: str) -> int:
    """A vowel-group estimate: close to dictionary counts for plain English."""
    if word[0].isdigit():
        return 1
    lowered = word.lower().replace("'", "")
    count = len(_VOWELS.findall(lowered))
    if lowered.endswith("e") and not lowered.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(count, 1)


def flesch_kincaid_grade(sentences: int, words: int, syllables: int) -> float:
    """The Flesch-Kincaid grade level from counts."""
    return 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59
