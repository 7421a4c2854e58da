"""Content rules that `foracli validate` reports as warnings.

The loader's errors make a knowledge base unusable; these make it worse to read
or to trust, so they are reported, not fatal (`--strict` makes them fail).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from foracli.core.errors import Problem
from foracli.core.model import KnowledgeBase, Procedure, end_sentence

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


def content_warnings(kb: KnowledgeBase, today: dt.date) -> list[Problem]:
    """Every content warning for *kb*, in file order."""
    warnings: list[Problem] = []
    cited = {sid for proc in kb.procedures.values() for sid in proc.cited_sources()}
    cited |= {sid for term in kb.glossary.values() for sid in term.sources}
    for source in kb.sources.values():
        if source.id not in cited:
            warnings.append(
                Problem(
                    source.path,
                    source.line,
                    source.column,
                    f"source '{source.id}' is not cited anywhere",
                    "warning",
                )
            )
    defined = glossary_words(kb)
    for proc in kb.procedures.values():
        warnings.extend(_procedure_warnings(proc, today))
        warnings.extend(_undefined_terms(proc, defined))
    return sorted(warnings, key=lambda p: (p.path, p.line, p.column))


def _procedure_warnings(proc: Procedure, today: dt.date) -> list[Problem]:
    found = []
    if proc.next_review <= today:
        line, column = proc.next_review_at
        found.append(
            Problem(
                proc.path,
                line,
                column,
                f"next_review {proc.next_review.isoformat()} has passed; "
                "re-check the page against the evidence",
                "warning",
            )
        )
    for section in proc.sections:
        text = " ".join(end_sentence(p.text) for p in section.points)
        sentences, words, syllables = _counts(text)
        if sentences >= 3 and words >= 40:
            grade = flesch_kincaid_grade(sentences, words, syllables)
            if grade > SECTION_GRADE_LIMIT:
                found.append(
                    Problem(
                        proc.path,
                        1,
                        1,
                        f"section '{section.key}' reads at grade {grade:.1f}, "
                        f"above {SECTION_GRADE_LIMIT:.0f}",
                        "warning",
                    )
                )
        for sentence in _SENTENCE.findall(text):
            count = len(_WORD.findall(sentence))
            if count > MAX_SENTENCE_WORDS:
                found.append(
                    Problem(
                        proc.path,
                        1,
                        1,
                        f"a sentence in '{section.key}' has {count} words "
                        f"(over {MAX_SENTENCE_WORDS}): {sentence.strip()[:60]}...",
                        "warning",
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
        Problem(
            proc.path,
            1,
            1,
            f"'{word}' (in '{section}') is a medical word with no glossary entry",
            "warning",
        )
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


def summary(problems: Sequence[Problem]) -> str:
    """'2 errors, 1 warning in 2 files', or 'no problems found'."""
    if not problems:
        return "no problems found"
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    files = len({p.path for p in problems})
    return (
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
        f"in {files} file{'s' * (files != 1)}"
    )
