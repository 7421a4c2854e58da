"""The knowledge-base model: frozen, typed records and the closed vocabularies.

Everything here is trusted: the loader validates once and builds these objects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import StrEnum

from foracli.core.record import field, record


class Certainty(StrEnum):
    """How sure the evidence lets us be (GRADE levels, in plain words)."""

    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"
    VERY_LOW = "very-low"


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
    WEBSITE = "website"  # reference, news, wiki or vendor pages: not papers
    TEXTBOOK = "textbook"


class Gap(StrEnum):
    """What a source's finders looked for and could not find (said, not hidden)."""

    YEAR = "year"
    IDENTIFIER = "identifier"  # no DOI, PMID or publisher's page
    ORIGINAL = "original"  # only a copy on another site was found


@record
class SectionSpec:
    """One of the fixed sections of a procedure page (its title is content's)."""

    key: str
    aliases: tuple[str, ...]  # other names a user may type, the title's among them
    numbered: bool = False


# Fixed order: the brief's what/steps/benefits/recovery plus the sections the best
# patient-information pages use (shared/reference/patient-education.md §0).
SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(
        "what",
        (
            "what-it-is",
            "overview",
            "about",
            "description",
        ),
    ),
    SectionSpec(
        "who",
        (
            "who-it-may-help",
            "why",
            "indications",
            "candidates",
        ),
    ),
    SectionSpec(
        "alternatives",
        (
            "other-choices",
            "options",
            "choices",
            "other-options",
            "other-choices-including-not-having-surgery",
        ),
    ),
    SectionSpec(
        "prepare",
        (
            "preparation",
            "before",
            "getting-ready",
            "prep",
            "how-to-get-ready",
        ),
    ),
    SectionSpec(
        "steps",
        (
            "during",
            "procedure",
            "how",
            "step",
            "what-happens-during-surgery",
        ),
        True,
    ),
    SectionSpec(
        "benefits",
        (
            "benefit",
            "pros",
            "advantages",
            "possible-benefits",
        ),
    ),
    SectionSpec(
        "risks",
        (
            "risk",
            "complications",
            "cons",
            "side-effects",
            "possible-risks",
        ),
    ),
    SectionSpec(
        "recovery",
        (
            "after",
            "aftercare",
            "timeline",
            "healing",
        ),
    ),
    SectionSpec(
        "red-flags",
        (
            "when-to-call",
            "warning-signs",
            "emergency",
            "call",
            "red-flag",
            "help",
            "when-to-get-help",
        ),
    ),
    SectionSpec(
        "questions",
        (
            "ask",
            "questions-to-ask",
            "question",
            "questions-to-ask-your-surgeon",
        ),
    ),
    SectionSpec(
        "key-points",
        (
            "summary",
            "key",
            "takeaways",
            "tldr",
        ),
    ),
)
SECTION_KEYS = tuple(spec.key for spec in SECTIONS)
SECTIONS_BY_KEY = {spec.key: spec for spec in SECTIONS}


@record
class AspectSpec:
    """One comparable fact; `unit` is None for text-only aspects (its label is content's)."""

    key: str
    unit: str | None
    aliases: tuple[str, ...] = ()  # other names a user may type, the label's among them


# The rows of `compare`, in order. Units are fixed so any two procedures compare.
ASPECTS: tuple[AspectSpec, ...] = (
    AspectSpec(
        "incision",
        "cm",
        (
            "cut",
            "scar",
            "wound",
            "incision-size",
            "skin-cut",
        ),
    ),
    AspectSpec(
        "anaesthesia",
        None,
        (
            "anesthesia",
            "anaesthetic",
            "sedation",
        ),
    ),
    AspectSpec(
        "operating-time",
        "minutes",
        (
            "time",
            "duration",
            "length",
        ),
    ),
    AspectSpec(
        "blood-loss",
        "mL",
        (
            "blood",
            "bleeding",
            "ebl",
        ),
    ),
    AspectSpec(
        "hospital-stay",
        "days",
        (
            "stay",
            "hospital",
            "los",
            "nights",
        ),
    ),
    AspectSpec(
        "return-to-activity",
        "weeks",
        (
            "activity",
            "normal",
            "back-to-normal-activity",
        ),
    ),
    AspectSpec(
        "return-to-work",
        "weeks",
        (
            "work",
            "job",
            "off-work",
            "back-to-work",
        ),
    ),
    AspectSpec(
        "pain-relief",
        None,
        (
            "pain",
            "relief",
            "results",
            "relief-of-arm-or-leg-pain",
        ),
    ),
    AspectSpec(
        "complications",
        "in 100",
        (
            "complication",
            "problems",
            "complications-any",
        ),
    ),
    AspectSpec(
        "main-risks",
        None,
        (
            "risks",
            "risk",
        ),
    ),
    AspectSpec(
        "reoperation",
        "in 100",
        (
            "revision",
            "repeat-surgery",
            "another-operation-later",
        ),
    ),
    AspectSpec(
        "evidence",
        None,
        (
            "quality",
            "studies",
            "quality-of-the-evidence",
        ),
    ),
)
ASPECT_KEYS = tuple(spec.key for spec in ASPECTS)
ASPECTS_BY_KEY = {spec.key: spec for spec in ASPECTS}

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


@record
class Point:
    """One paragraph or bullet of a section, with the evidence behind it."""

    text: str
    label: str | None = None
    sources: tuple[str, ...] = ()
    certainty: Certainty | None = None
    region: Region | None = None  # None: it applies to every region the page covers
    short: str | None = None  # the same advice in a few words, for the one-screen version
    timeframe: str | None = None  # over what time its "N in 100" figures were counted


@record
class Section:
    """A section of a procedure page."""

    key: str
    points: tuple[Point, ...]

    @property
    def spec(self) -> SectionSpec:
        """The fixed definition (title, aliases) of this section."""
        return SECTIONS_BY_KEY[self.key]


@record
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
    region: Region | None = None  # None: it applies to every region the page covers
    basis: str | None = None  # what was measured, where that varies ("desk work")
    timeframe: str | None = None  # over what time a risk was counted ("in the first year")
    short: str | None = None  # the cell in a few words, for the decision grid


@record
class Comparison:
    """A head-to-head finding of this procedure against another one."""

    other: str
    aspect: str
    finding: Finding
    text: str
    sources: tuple[str, ...]
    certainty: Certainty | None = None
    region: Region | None = None


@record
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
    # Each aspect's values: one for every region the page covers, or one per region.
    aspects: dict[str, tuple[AspectValue, ...]] = field(hash=False)
    comparisons: tuple[Comparison, ...] = ()
    variants: tuple[str, ...] = ()  # ids of pages on each way of doing this procedure
    path: str = ""
    next_review_at: tuple[int, int] = field(default=(1, 1), compare=False)
    layer: int = field(default=0, compare=False)  # 0 = shipped; user paths count up

    def section(self, key: str) -> Section | None:
        """The section with *key*, if the procedure has it."""
        return next((s for s in self.sections if s.key == key), None)

    def aspect_values(self, key: str) -> tuple[AspectValue, ...]:
        """Every value of the aspect *key* (none, one, or one per region)."""
        return self.aspects.get(key, ())

    def cited_sources(self) -> tuple[str, ...]:
        """Source ids in the order they are first cited on the page."""
        seen: dict[str, None] = {}
        for section in self.sections:
            for point in section.points:
                seen.update(dict.fromkeys(point.sources))
        for values in self.aspects.values():
            for value in values:
                seen.update(dict.fromkeys(value.sources))
        for comparison in self.comparisons:
            seen.update(dict.fromkeys(comparison.sources))
        return tuple(seen)


@record
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
    not_found: tuple[Gap, ...] = ()  # searched for and not found: validate accepts these
    # Where the entry was written, for validate's messages; not part of its identity.
    path: str = field(default="", compare=False)
    line: int = field(default=1, compare=False)
    column: int = field(default=1, compare=False)


@record
class Term:
    """A glossary entry: a medical word and its plain meaning."""

    key: str
    term: str
    definition: str
    aliases: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


@record
class Topic:
    """Something patients often ask that the pages have no good evidence on: what it is
    about ("when it is safe to fly") and what to ask the surgeon instead."""

    key: str
    asks: tuple[str, ...]  # the ways patients ask it
    about: str
    ask: str
    sources: tuple[str, ...] = ()


@record
class Asking:
    """What makes a question typed the way a patient types it answerable.

    *places*: for each aspect or section key, the ways patients ask for it.
    *synonyms*: groups of words or phrases that mean the same (plain and medical).
    *names*: everyday words that name a procedure ("keyhole") beyond its aliases.
    *regions*: the words that name each part of the spine ("neck", "low back").
    *topics*: questions with no good answer in the pages, by key.
    """

    places: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    synonyms: tuple[tuple[str, ...], ...] = ()
    names: Mapping[str, str] = field(default_factory=dict)
    regions: Mapping[Region, tuple[str, ...]] = field(default_factory=dict)
    topics: Mapping[str, Topic] = field(default_factory=dict)


@record
class KnowledgeBase:
    """All procedures, sources and glossary terms, validated and cross-checked.

    The mappings may be lazy (a cache reads each procedure only when asked for it);
    *names*, when given, is query.procedure_names computed ahead for the same base.
    """

    procedures: Mapping[str, Procedure]
    sources: Mapping[str, Source]
    glossary: Mapping[str, Term] = field(default_factory=dict)
    names: Mapping[str, str] | None = field(default=None, compare=False, repr=False)
    asking: Asking = field(default_factory=Asking)
