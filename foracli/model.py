"""The knowledge-base model: frozen, typed records and the closed vocabularies.

Everything here is trusted: the loader validates once and builds these objects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class Certainty(StrEnum):
    """How sure the evidence lets us be (GRADE levels, in plain words)."""

    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"
    VERY_LOW = "very-low"

    @property
    def phrase(self) -> str:
        """The plain-language wording shown to readers."""
        return CERTAINTY_PHRASES[self]


CERTAINTY_PHRASES = {
    Certainty.HIGH: "We are sure",
    Certainty.MODERATE: "We are fairly sure",
    Certainty.LOW: "We are not sure",
    Certainty.VERY_LOW: "We are very unsure",
}


class Approach(StrEnum):
    """How the surgeon reaches the nerve (or not at all)."""

    ENDOSCOPIC = "endoscopic"
    BIPORTAL = "biportal"
    TUBULAR = "tubular"
    OPEN = "open"
    FUSION = "fusion"
    NON_SURGICAL = "non-surgical"


class Region(StrEnum):
    """Part of the spine."""

    CERVICAL = "cervical"
    LUMBAR = "lumbar"


class Finding(StrEnum):
    """What head-to-head studies found for one procedure against another."""

    LOWER = "lower"
    HIGHER = "higher"
    NO_DIFFERENCE = "no-difference"
    MIXED = "mixed"
    UNCLEAR = "unclear"

    def relative(self) -> Finding:
        """The same finding seen from the other procedure's side."""
        return {Finding.LOWER: Finding.HIGHER, Finding.HIGHER: Finding.LOWER}.get(self, self)


FINDING_PHRASES = {
    Finding.LOWER: "Lower with {a}",
    Finding.HIGHER: "Higher with {a}",
    Finding.NO_DIFFERENCE: "No clear difference",
    Finding.MIXED: "Mixed results",
    Finding.UNCLEAR: "Not clear",
}


class StudyType(StrEnum):
    """The kind of publication behind a source."""

    META_ANALYSIS = "meta-analysis"
    SYSTEMATIC_REVIEW = "systematic-review"
    RCT = "rct"
    COHORT = "cohort"
    CASE_SERIES = "case-series"
    REGISTRY = "registry"
    GUIDELINE = "guideline"
    REVIEW = "review"
    BIOMECHANICAL = "biomechanical"
    EXPERT_OPINION = "expert-opinion"
    PRACTICE_PAGE = "practice-page"
    PATIENT_INFORMATION = "patient-information"
    TEXTBOOK = "textbook"

    @property
    def label(self) -> str:
        """Plain name of the study type."""
        return STUDY_TYPE_LABELS[self]


STUDY_TYPE_LABELS = {
    StudyType.META_ANALYSIS: "meta-analysis",
    StudyType.SYSTEMATIC_REVIEW: "systematic review",
    StudyType.RCT: "randomised trial",
    StudyType.COHORT: "cohort study",
    StudyType.CASE_SERIES: "case series",
    StudyType.REGISTRY: "registry or database study",
    StudyType.GUIDELINE: "guideline",
    StudyType.REVIEW: "narrative review",
    StudyType.BIOMECHANICAL: "laboratory study",
    StudyType.EXPERT_OPINION: "expert opinion",
    StudyType.PRACTICE_PAGE: "surgeon's practice page",
    StudyType.PATIENT_INFORMATION: "patient information",
    StudyType.TEXTBOOK: "textbook",
}


@dataclass(frozen=True)
class SectionSpec:
    """One of the fixed sections of a procedure page."""

    key: str
    title: str
    aliases: tuple[str, ...]
    numbered: bool = False

    def title_for(self, approach: Approach) -> str:
        """The heading for a procedure of *approach* (care without surgery reads differently)."""
        if approach is Approach.NON_SURGICAL:
            return NON_SURGICAL_TITLES.get(self.key, self.title)
        return self.title


NON_SURGICAL_TITLES = {
    "steps": "What the treatment involves",
    "questions": "Questions to ask your doctor",
}


# Fixed order: the brief's what/steps/benefits/recovery plus the sections the best
# patient-information pages use (shared/reference/patient-education.md §0).
SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("what", "What it is", ("what-it-is", "overview", "about", "description")),
    SectionSpec("who", "Who it may help", ("who-it-may-help", "why", "indications", "candidates")),
    SectionSpec(
        "alternatives",
        "Other choices, including not having surgery",
        ("other-choices", "options", "choices", "other-options"),
    ),
    SectionSpec("prepare", "How to get ready", ("preparation", "before", "getting-ready", "prep")),
    SectionSpec(
        "steps", "What happens during surgery", ("during", "procedure", "how", "step"), True
    ),
    SectionSpec("benefits", "Possible benefits", ("benefit", "pros", "advantages")),
    SectionSpec("risks", "Possible risks", ("risk", "complications", "cons", "side-effects")),
    SectionSpec("recovery", "Recovery", ("after", "aftercare", "timeline", "healing")),
    SectionSpec(
        "red-flags",
        "When to get help",
        ("when-to-call", "warning-signs", "emergency", "call", "red-flag", "help"),
    ),
    SectionSpec(
        "questions", "Questions to ask your surgeon", ("ask", "questions-to-ask", "question")
    ),
    SectionSpec("key-points", "Key points", ("summary", "key", "takeaways", "tldr")),
)
SECTION_KEYS = tuple(spec.key for spec in SECTIONS)
SECTIONS_BY_KEY = {spec.key: spec for spec in SECTIONS}


@dataclass(frozen=True)
class AspectSpec:
    """One comparable fact; `unit` is None for text-only aspects."""

    key: str
    label: str
    unit: str | None
    aliases: tuple[str, ...] = ()


# The rows of `compare`, in order. Units are fixed so any two procedures compare.
ASPECTS: tuple[AspectSpec, ...] = (
    AspectSpec("incision", "Skin cut", "cm", ("cut", "scar", "wound", "incision-size")),
    AspectSpec("anaesthesia", "Anaesthesia", None, ("anesthesia", "anaesthetic", "sedation")),
    AspectSpec("operating-time", "Operating time", "minutes", ("time", "duration", "length")),
    AspectSpec("blood-loss", "Blood loss", "mL", ("blood", "bleeding", "ebl")),
    AspectSpec("hospital-stay", "Hospital stay", "days", ("stay", "hospital", "los", "nights")),
    AspectSpec("return-to-activity", "Back to normal activity", "weeks", ("activity", "normal")),
    AspectSpec("return-to-work", "Back to work", "weeks", ("work", "job", "off-work")),
    AspectSpec("pain-relief", "Relief of arm or leg pain", None, ("pain", "relief", "results")),
    AspectSpec("complications", "Complications (any)", "in 100", ("complication", "problems")),
    AspectSpec("main-risks", "Main risks", None, ("risks", "risk")),
    AspectSpec("reoperation", "Another operation later", "in 100", ("revision", "repeat-surgery")),
    AspectSpec("evidence", "Quality of the evidence", None, ("quality", "studies")),
)
ASPECT_KEYS = tuple(spec.key for spec in ASPECTS)
ASPECTS_BY_KEY = {spec.key: spec for spec in ASPECTS}

NO_GOOD_DATA = "no good data"

# The keys of a procedure file: required, then optional (loader and schema share them).
PROCEDURE_KEYS = (
    "id",
    "name",
    "summary",
    "approach",
    "regions",
    "reviewed",
    "next_review",
    "sections",
)
PROCEDURE_OPTIONAL_KEYS = ("aliases", "aspects", "comparisons", "sources", "variants")


def end_sentence(text: str) -> str:
    """*text* with a full stop added unless it already ends a sentence."""
    return text if text.endswith((".", "?", "!")) else text + "."


@dataclass(frozen=True)
class Point:
    """One paragraph or bullet of a section, with the evidence behind it."""

    text: str
    label: str | None = None
    sources: tuple[str, ...] = ()
    certainty: Certainty | None = None


@dataclass(frozen=True)
class Section:
    """A section of a procedure page."""

    key: str
    points: tuple[Point, ...]

    @property
    def spec(self) -> SectionSpec:
        """The fixed definition (title, aliases) of this section."""
        return SECTIONS_BY_KEY[self.key]


@dataclass(frozen=True)
class AspectValue:
    """A procedure's value for one aspect: a number or range, or text."""

    key: str
    sources: tuple[str, ...]
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    text: str | None = None
    note: str | None = None
    certainty: Certainty | None = None


@dataclass(frozen=True)
class Comparison:
    """A head-to-head finding of this procedure against another one."""

    other: str
    aspect: str
    finding: Finding
    text: str
    sources: tuple[str, ...]
    certainty: Certainty | None = None


@dataclass(frozen=True)
class Procedure:
    """One procedure page of the knowledge base."""

    id: str
    name: str
    aliases: tuple[str, ...]
    approach: Approach
    regions: tuple[Region, ...]
    summary: str
    reviewed: dt.date
    next_review: dt.date
    sections: tuple[Section, ...]
    aspects: dict[str, AspectValue] = field(hash=False)
    comparisons: tuple[Comparison, ...] = ()
    variants: tuple[str, ...] = ()  # ids of pages on each way of doing this procedure
    path: str = ""
    next_review_at: tuple[int, int] = field(default=(1, 1), compare=False)
    layer: int = field(default=0, compare=False)  # 0 = shipped; user paths count up

    def section(self, key: str) -> Section | None:
        """The section with *key*, if the procedure has it."""
        return next((s for s in self.sections if s.key == key), None)

    def cited_sources(self) -> tuple[str, ...]:
        """Source ids in the order they are first cited on the page."""
        seen: dict[str, None] = {}
        for section in self.sections:
            for point in section.points:
                seen.update(dict.fromkeys(point.sources))
        for aspect in self.aspects.values():
            seen.update(dict.fromkeys(aspect.sources))
        for comparison in self.comparisons:
            seen.update(dict.fromkeys(comparison.sources))
        return tuple(seen)


@dataclass(frozen=True)
class Source:
    """A bibliography entry."""

    id: str
    title: str
    type: StudyType
    authors: str | None = None
    year: int | None = None
    journal: str | None = None
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None
    level: int | None = None
    note: str | None = None
    participants: int | None = None  # people studied, for clinicians' evidence view
    result: str | None = None  # the study's main result, in one plain sentence
    # Where the entry was written, for validate's messages; not part of its identity.
    path: str = field(default="", compare=False)
    line: int = field(default=1, compare=False)
    column: int = field(default=1, compare=False)

    def citation(self) -> str:
        """A one-line, plain citation with DOI/PMID where known."""
        parts = [p for p in (self.authors, self.title, self.journal) if p]
        text = " ".join(end_sentence(p) for p in parts)
        if self.year and (not self.journal or str(self.year) not in self.journal):
            text += f" {self.year}."
        ids = []
        if self.doi:
            ids.append(f"doi:{self.doi}")
        if self.pmid:
            ids.append(f"PMID {self.pmid}")
        if not ids and self.url:
            ids.append(self.url)
        if ids:
            text += " " + "; ".join(ids) + "."
        return text

    def evidence_label(self) -> str:
        """Study type, with the OCEBM level where one applies."""
        if self.level is None:
            return self.type.label
        return f"{self.type.label}, evidence level {self.level}"

    def evidence_summary(self) -> str:
        """Type, level, size and result: what a clinician weighs."""
        parts = [self.evidence_label()]
        if self.participants:
            parts.append(f"{self.participants:,} people")
        text = ", ".join(parts)
        return f"{text}: {self.result}" if self.result else text


@dataclass(frozen=True)
class Term:
    """A glossary entry: a medical word and its plain meaning."""

    key: str
    term: str
    definition: str
    aliases: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class KnowledgeBase:
    """All procedures, sources and glossary terms, validated and cross-checked."""

    procedures: dict[str, Procedure]
    sources: dict[str, Source]
    glossary: dict[str, Term] = field(default_factory=dict)
