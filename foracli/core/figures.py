"""Risk and benefit figures as IPDAS asks for them: per 100, over a stated time.

`validate` reports a frequency with another denominator ("8 in 10", "1 in 3") and an
"in 100" figure with no time frame. A sentence that names a time ("at 1 year",
"within 2 years", "by 4 weeks") states its own; otherwise the item needs `timeframe`.
Rare events may keep a larger denominator ("4 in 1,000"), which is no less exact.
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


def frequencies(text: str) -> list[tuple[str, int]]:
    """Each frequency in *text*, with its denominator: [('8 in 10', 10), ...]."""
    return [(m.group(0), int(m.group(2).replace(",", ""))) for m in FREQUENCY.finditer(text)]


def figure_problems(proc: Procedure) -> Iterator[tuple[str, dict[str, object]]]:
    """(check key, fields) for every risk or benefit figure of *proc* that is not per 100
    or has no time frame."""
    for section in proc.sections:
        if section.key in RISK_BENEFIT_SECTIONS:
            for point in section.points:
                yield from _item(point, point.text, f"{section.key}")
    for value in proc.aspects.values():
        if value.key not in RISK_BENEFIT_ASPECTS:
            continue
        place = f"aspect {value.key}"
        if value.unit == "in 100" and value.low is not None and not value.timeframe:
            yield "no-timeframe", {"place": place}
        for text in (value.text, value.short):
            if text:
                yield from _item(value, text, place)


def _item(
    item: Point | AspectValue, text: str, place: str
) -> Iterator[tuple[str, dict[str, object]]]:
    for sentence in _SENTENCE.findall(text):
        found = frequencies(sentence)
        for figure, per in found:
            if per < 100:
                yield "not-per-100", {"figure": figure, "place": place}
        timed = item.timeframe or _TIME.search(sentence)
        if any(per == 100 for _, per in found) and not timed:
            yield "no-timeframe", {"place": place}
