"""Content: every word the code adds (titles, labels, messages), keyed by id and locale.

`words(locale)` gives the wording of one language; renderers and the app ask it
for each title, label, phrase and message by id. English is the only locale for
now; a second one is a module beside `en` with the same ids.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence

from foracli.core.errors import (
    AnswersError,
    DecideError,
    ForacliError,
    HandoutError,
    KnowledgeBaseError,
    MissingSectionError,
    NoMatchError,
    NotFoundError,
    PathNotFoundError,
    Problem,
    RegionError,
    UsageProblem,
)
from foracli.core.model import (
    Approach,
    AspectValue,
    Certainty,
    Finding,
    Procedure,
    Region,
    Source,
    end_sentence,
)
from foracli.core.record import record, replace
from foracli.core.search import Language
from foracli.core.text import PATH_SHOWN, shown

LOCALES = ("en",)


@record
class Words:
    """The wording of one locale."""

    locale: str
    messages: Mapping[str, str]
    language: Language

    def text(self, key: str, **fields: object) -> str:
        """The message *key*, with *fields* filled in."""
        template = self.messages[key]
        return template.format(**fields) if fields else template

    def section_title(self, key: str, approach: Approach | None = None) -> str:
        """The heading of section *key* (care without surgery reads differently)."""
        if approach is Approach.NON_SURGICAL:
            special = self.messages.get(f"section.non-surgical.{key}")
            if special is not None:
                return special
        return self.messages[f"section.{key}"]

    def aspect_label(self, key: str) -> str:
        """The row label of aspect *key*."""
        return self.messages[f"aspect.{key}"]

    def place(self, key: str, approach: Approach | None = None) -> str:
        """A readable name for a place: section title (as that page titles it), aspect
        label or the key itself."""
        if f"section.{key}" in self.messages:
            return self.section_title(key, approach)
        return self.messages.get(f"aspect.{key}") or key

    def certainty(self, certainty: Certainty) -> str:
        """'We are fairly sure' for a certainty."""
        return self.messages[f"certainty.{certainty.value}"]

    def certainty_mark(self, certainty: Certainty) -> str:
        """'(fairly sure)': the short mark after a point."""
        return f"({self.messages[f'certainty.mark.{certainty.value}']})"

    def emergency(self, region: Region | None = None) -> str:
        """When to get emergency help now: the signs for *region*, else for both."""
        return self.messages["emergency" if region is None else f"emergency.{region.value}"]

    def region(self, region: Region) -> str:
        """'Neck', 'Low back': a region as a heading."""
        return self.messages[f"region.{region.value}"]

    def qualifiers(self, value: AspectValue, *, region: bool = True) -> str:
        """'desk work; Low back only': what a figure measured and where, or ''."""
        parts = [value.basis or ""]
        if region and value.region is not None:
            parts.append(self.messages[f"region.{value.region.value}.only"])
        return "; ".join(p for p in parts if p)

    def finding(self, finding: Finding, subject: str) -> str:
        """'Lower with Endoscopic ...' for a finding about *subject*."""
        return self.text(f"finding.{finding.value}", a=subject)

    def study_type(self, source: Source) -> str:
        """The plain name of a source's kind of study."""
        return self.messages[f"study.{source.type.value}"]

    def citation(self, source: Source) -> str:
        """A one-line, plain citation with DOI/PMID where known."""
        parts = [p for p in (source.authors, source.title, source.journal) if p]
        text = " ".join(end_sentence(p) for p in parts)
        if source.year and (not source.journal or str(source.year) not in source.journal):
            text += f" {source.year}."
        ids = []
        if source.doi:
            ids.append(f"doi:{source.doi}")
        if source.pmid:
            ids.append(f"PMID {source.pmid}")
        if not ids and source.url:
            ids.append(source.url)
        if ids:
            text += " " + "; ".join(ids) + "."
        return text

    def evidence_label(self, source: Source) -> str:
        """Study type, with the OCEBM level where one applies."""
        kind = self.study_type(source)
        if source.level is None:
            return kind
        return self.text("evidence.level", kind=kind, level=source.level)

    def evidence_summary(self, source: Source) -> str:
        """Type, level, size and result: what a clinician weighs."""
        parts = [self.evidence_label(source)]
        if source.participants:
            parts.append(self.text("evidence.people", count=f"{source.participants:,}"))
        text = ", ".join(parts)
        return f"{text}: {source.result}" if source.result else text

    def amount(self, value: AspectValue, *, with_text: bool = True) -> str:
        """The value part of a cell: '50 to 116 minutes', 'about 5 in 100 people', or text."""
        if value.low is None:
            return value.text or self.text("amount.no-good-data")
        span = format_number(value.low)
        if value.high is not None and value.high != value.low:
            span = self.text("amount.range", low=span, high=format_number(value.high))
        if value.unit == "in 100":
            amount = self.text("amount.in-100", span=span)
        else:
            amount = f"{span} {self.unit(value.unit or '', value.high or value.low)}"
        if value.text and with_text:
            amount += f" ({value.text})"
        return amount

    def unit(self, unit: str, last: float) -> str:
        """A unit's word: "1 day", "0 to 1 days" (singular only for exactly one)."""
        if last == 1 and f"unit.{unit}.one" in self.messages:
            return self.messages[f"unit.{unit}.one"]
        return self.messages.get(f"unit.{unit}", unit)

    def review(self, procedures: Iterable[Procedure]) -> str:
        """'Last reviewed: ... Next review due: ...' across *procedures*."""
        procs = list(procedures)
        reviewed = min(p.reviewed for p in procs)
        due = min(p.next_review for p in procs)
        return self.text("review", reviewed=reviewed.isoformat(), due=due.isoformat())

    def see_also(self, variants: Iterable[Procedure]) -> str:
        """'See also: Name (foracli explain id); ...' for a page's variants, or ''."""
        items = [self.text("see-also.item", name=v.name, id=v.id) for v in variants]
        return self.text("see-also", items="; ".join(items)) if items else ""

    def problem(self, problem: Problem) -> Problem:
        """*problem* with its message worded (content rules carry a key, not words)."""
        if not problem.key:
            return problem
        return replace(problem, message=self.text(f"check.{problem.key}", **dict(problem.fields)))

    def summary(self, problems: Sequence[Problem]) -> str:
        """'2 errors, 1 warning in 2 files', or 'no problems found'."""
        if not problems:
            return self.text("summary.none")
        errors = sum(p.severity == "error" for p in problems)
        warnings = len(problems) - errors
        files = len({p.path for p in problems})
        return self.text(
            "summary.counts",
            errors=errors,
            es="s" * (errors != 1),
            warnings=warnings,
            ws="s" * (warnings != 1),
            files=files,
            fs="s" * (files != 1),
        )

    def error_lines(self, error: ForacliError) -> list[str]:
        """What to print on stderr for *error*, one item per line."""
        return [self.error(error)]

    def error(self, error: ForacliError) -> str:
        """One line for *error*; what the user typed is quoted through core.text.shown
        (control and bidi characters visible, long values cut)."""
        match error:
            case MissingSectionError():
                return self.text(
                    "error.no-section", procedure=shown(error.procedure), name=shown(error.name)
                )
            case NotFoundError():
                message = self.text(
                    "error.unknown", kind=self.text(f"kind.{error.kind}"), name=shown(error.name)
                )
                if not error.suggestions:
                    return message
                choices = self.text("error.or").join(f"'{shown(s)}'" for s in error.suggestions)
                return self.text("error.did-you-mean", message=message, choices=choices)
            case NoMatchError():
                return self.text("error.no-match", query=shown(error.query))
            case PathNotFoundError() if error.reason:
                return self.text(
                    "error.cannot-read-path", path=_path(error.path), reason=shown(error.reason)
                )
            case PathNotFoundError():
                return self.text("error.no-path", path=_path(error.path))
            case KnowledgeBaseError() if error.problems:
                first, rest = str(error.problems[0]), len(error.problems) - 1
                if not rest:
                    return first
                return self.text(
                    "error.more-problems", first=first, count=rest, plural="s" * (rest > 1)
                )
            case DecideError():
                return self.text(f"decide.{error.key}", **error.fields)
            case AnswersError():
                return str(error.problem)
            case HandoutError():
                fields = {k: _path(str(v)) for k, v in error.fields.items()}
                return self.text(f"handout.{error.key}", **fields)
            case RegionError():
                inside = [self.text(f"region.{r}.in") for r in error.regions]
                return self.text(
                    "error.region",
                    procedure=error.procedure,
                    region=self.text(f"region.{error.region}.in"),
                    regions=self.text("error.or").join(inside),
                )
            case UsageProblem():
                message = self.text(f"usage.{error.key}", **error.fields)
                hint = self.text("usage.try", command=f"foracli {error.command}")
                return f"{message} {hint}"
            case _:
                return shown(str(error), 400)


def _path(path: str) -> str:
    return shown(path, PATH_SHOWN, middle=True)


def format_number(value: float) -> str:
    """1.0 -> '1', 0.8 -> '0.8', 1200 -> '1,200'."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


@functools.cache
def words(locale: str = "en") -> Words:
    """The wording of *locale* (one of LOCALES)."""
    if locale not in LOCALES:
        raise ValueError(f"no wording for locale {locale!r}; known: {', '.join(LOCALES)}")
    # __import__, not importlib.import_module: the importlib package imports warnings.
    table = __import__(f"foracli.content.{locale}", fromlist=["_"])
    return Words(
        locale, table.MESSAGES, Language(table.STOPWORDS, table.SYNONYMS, table.ASKING_STOPWORDS)
    )
