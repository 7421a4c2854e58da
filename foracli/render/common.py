"""Wording shared by every renderer: values, citations, certainty, the footer.

Kept free of Rich so the plain, Markdown and JSON paths stay light.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from foracli.model import (
    FINDING_PHRASES,
    NO_GOOD_DATA,
    AspectValue,
    Comparison,
    Point,
    Procedure,
    Source,
)

DISCLAIMER = (
    "This is general information, not medical advice. "
    "Talk to your own surgeon or doctor about your situation."
)
EMERGENCY = (
    "If you suddenly have new weakness, numbness around your bottom or genitals, "
    "or cannot control your bladder or bowels, get emergency help now."
)


@dataclass(frozen=True)
class Citations:
    """Numbers for sources, in the order the output first cites them."""

    numbers: dict[str, int]

    @classmethod
    def of(cls, sources: Iterable[Source]) -> Citations:
        """Number *sources* 1, 2, 3... in the given order."""
        return cls({s.id: n for n, s in enumerate(sources, start=1)})

    def marks(self, ids: Iterable[str]) -> list[int]:
        """The numbers of *ids*, sorted, without repeats."""
        return sorted({self.numbers[i] for i in ids if i in self.numbers})

    def bracket(self, ids: Iterable[str]) -> str:
        """'[1, 3]' for the given source ids, or '' when there are none."""
        marks = self.marks(ids)
        return f"[{', '.join(map(str, marks))}]" if marks else ""


def certainty_sentence(point: Point | AspectValue | Comparison) -> str:
    """'We are fairly sure.' for a point with a certainty, else ''."""
    return f"{point.certainty.phrase}." if point.certainty else ""


def format_number(value: float) -> str:
    """1.0 -> '1', 0.8 -> '0.8', 1200 -> '1,200'."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def format_amount(value: AspectValue, *, with_text: bool = True) -> str:
    """The value part of a cell: '50 to 116 minutes', 'about 5 in 100', or its text."""
    if value.low is None:
        return value.text or NO_GOOD_DATA
    span = format_number(value.low)
    if value.high is not None and value.high != value.low:
        span += f" to {format_number(value.high)}"
    if value.unit == "in 100":
        amount = f"about {span} in 100 people"
    else:
        amount = f"{span} {_unit_word(value.unit or '', value.high or value.low)}"
    if value.text and with_text:
        amount += f" ({value.text})"
    return amount


def _unit_word(unit: str, last: float) -> str:
    # "1 day", "0 to 1 days": singular only for exactly one.
    if last == 1 and unit in ("days", "weeks", "minutes"):
        return unit[:-1]
    return unit


def finding_phrase(comparison: Comparison, subject: Procedure) -> str:
    """Short verdict ('no clear difference', 'lower with Endoscopic ...')."""
    return FINDING_PHRASES[comparison.finding].format(a=subject.name)


def review_line(procedures: Iterable[Procedure]) -> str:
    """'Last reviewed: ... Next review due: ...' across the shown procedures."""
    procs = list(procedures)
    reviewed = min(p.reviewed for p in procs)
    due = min(p.next_review for p in procs)
    return f"Last reviewed: {reviewed.isoformat()}. Next review due: {due.isoformat()}."


def source_line(source: Source) -> str:
    """Citation plus the kind of study and its evidence level."""
    line = f"{source.citation()} ({source.evidence_label()})"
    if source.note:
        line += f" {source.note}"
    return line


def point_parts(point: Point, citations: Citations) -> tuple[str, str, str, str]:
    """(label, text, certainty sentence, citation bracket) for a point."""
    label = f"{point.label}: " if point.label else ""
    return label, point.text, certainty_sentence(point), citations.bracket(point.sources)


def join_nonempty(*parts: str) -> str:
    """Join the non-empty parts with single spaces."""
    return " ".join(p for p in parts if p)


def see_also(variants: Iterable[Procedure]) -> str:
    """'See also: Name (foracli explain id); ...' for a page's variants, or ''."""
    items = [f"{v.name} (foracli explain {v.id})" for v in variants]
    return "See also: " + "; ".join(items) + "." if items else ""
