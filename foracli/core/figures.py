"""Risk and benefit figures as IPDAS asks for them: per 100, over a stated time.

`validate` reports a frequency with another denominator ("8 in 10", "1 in 3") and an
"in 100" figure with no time frame. A sentence that names a time ("at 1 year",
"within 2 years", "by 4 weeks") states its own; otherwise the item needs `timeframe`.
Rare events may keep a larger denominator ("4 in 1,000"), which is no less exact.
A `timeframe` of "no time frame recorded" (the migration's placeholder), on a section
point or an aspect value, counts as none. Where a source gives no follow-up, the item
says so in its own words ("not stated in the review"), which is a time frame a patient
can weigh.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from foracli.core.model import AspectValue, Point, Procedure

# "8 in 10", "1 to 2 in 100", "4 in 1,000": a frequency, whatever its denominator.
FREQUENCY = re.compile(r"\b(\d[\d,.]*)(?:\s+to\s+\d[\d,.]*)?\s+in\s+(\d[\d,]*)\b")
_TIME = re.compile(r"\b(?:years?|months?|weeks?|days?|nights?|hours?)\b", re.IGNORECASE)
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?](?!\d)|$)")
RISK_BENEFIT_SECTIONS = frozenset({"benefits", "risks", "key-points"})
RISK_BENEFIT_ASPECTS = frozenset({"pain-relief", "complications", "main-risks", "reoperation"})
PLACEHOLDER = "no time frame recorded"


def frequencies(text: str) -> list[tuple[str, int]]:
    """Each frequency in *text*, with its denominator: [('8 in 10', 10), ...]."""
    return [(m.group(0), int(m.group(2).replace(",", ""))) for m in FREQUENCY.finditer(text)]


def stated(timeframe: str | None) -> bool:
    """Whether *timeframe* says over what time a figure was counted (the placeholder
    does not)."""
    return bool(timeframe and timeframe.strip().casefold() != PLACEHOLDER)


def needs_timeframe(text: str) -> bool:
    """Whether *text* has an "in 100" figure in a sentence that names no time."""
    return any(
        any(per == 100 for _, per in frequencies(sentence)) and not _TIME.search(sentence)
        for sentence in _SENTENCE.findall(text)
    )


def figure_problems(proc: Procedure) -> Iterator[tuple[str, dict[str, object]]]:
    """(check key, fields) for every risk or benefit figure of *proc* that is not per 100
    or has no time frame (or only the placeholder)."""
    for section in proc.sections:
        if section.key in RISK_BENEFIT_SECTIONS:
            for point in section.points:
                yield from _point(point, section.key)
    for values in proc.aspects.values():
        for value in values:
            yield from _aspect(value)


def _aspect(value: AspectValue) -> Iterator[tuple[str, dict[str, object]]]:
    if value.key not in RISK_BENEFIT_ASPECTS:
        return
    place = f"aspect {value.key}" + (f" ({value.region.value})" if value.region else "")
    numeric = value.unit == "in 100" and value.low is not None
    if numeric and not value.timeframe:
        yield "no-timeframe", {"place": place}
    texts = [t for t in (value.text, value.short) if t]
    for text in texts:
        yield from _item(bool(value.timeframe), text, place)
    # As on a point: the placeholder would be shown to a reader as the time frame.
    in_text = any(per == 100 for text in texts for _, per in frequencies(text))
    if value.timeframe and not stated(value.timeframe) and (numeric or in_text):
        yield "placeholder-timeframe", {"place": place}


def _point(point: Point, place: str) -> Iterator[tuple[str, dict[str, object]]]:
    # The placeholder is flagged even where the text names a time: it would be shown
    # to a reader as the figure's time frame.
    if point.timeframe and not stated(point.timeframe):
        yield from _item(True, point.text, place)
        if any(per == 100 for _, per in frequencies(point.text)):
            yield "placeholder-timeframe", {"place": place}
    else:
        yield from _item(bool(point.timeframe), point.text, place)


def _item(timed: bool, text: str, place: str) -> Iterator[tuple[str, dict[str, object]]]:
    for sentence in _SENTENCE.findall(text):
        for figure, per in frequencies(sentence):
            if per < 100:
                yield "not-per-100", {"figure": figure, "place": place}
    if not timed and needs_timeframe(text):
        yield "no-timeframe", {"place": place}
