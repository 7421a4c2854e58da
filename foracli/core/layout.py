"""How a page is laid out for reading, the same in every format.

Pure decisions on the model, no words: which points a region sees, how a section's
points group (by region, then under a label said once), whether a section's
certainty can be said once, and whether the figures of a compare row may share a bar.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from foracli.core.model import (
    AspectValue,
    Certainty,
    Point,
    Region,
    Section,
    Source,
    StudyType,
)
from foracli.core.record import record, replace

# What a user may type for a region (normalised names; content gives the titles).
REGION_NAMES: dict[Region, tuple[str, ...]] = {
    Region.CERVICAL: ("cervical", "neck", "c-spine", "upper"),
    Region.LUMBAR: ("lumbar", "low-back", "lower-back", "back", "l-spine", "lumbosacral"),
}

# Kinds of source that report a practice's, a hospital's or an expert's experience, not a
# study of patients.
WEBSITE_KINDS = frozenset(
    {
        StudyType.PRACTICE_PAGE,
        StudyType.PATIENT_INFORMATION,
        StudyType.WEBSITE,
        StudyType.EXPERT_OPINION,
    }
)


def applies(item: Point | AspectValue, region: Region | None) -> bool:
    """Whether *item* belongs on a page for *region* (None: every region)."""
    return region is None or item.region is None or item.region == region


def pick_value(
    values: Sequence[AspectValue], region: Region | None, page: Sequence[Region] = ()
) -> AspectValue | None:
    """The value of an aspect a view for *region* shows: the one for that region, else
    the one for every region the *page* covers; with no region, the only value."""
    if region is None:
        return values[0] if len(values) == 1 else None
    tagged = next((v for v in values if v.region == region), None)
    if tagged is not None or (page and region not in page):
        return tagged
    return next((v for v in values if v.region is None), None)


def value_region(values: Sequence[AspectValue], page: Sequence[Region] = ()) -> Region | None:
    """The region the first of *values* is for, said or implied by a one-region *page*."""
    if not values:
        return None
    return values[0].region or (page[0] if len(page) == 1 else None)


def split_regions(columns: Sequence[Sequence[AspectValue]]) -> tuple[Region, ...]:
    """The regions an unnarrowed row splits into: those of any column with one value
    per region (none when every column has at most one value)."""
    if all(len(values) < 2 for values in columns):
        return ()
    found = {v.region for values in columns if len(values) > 1 for v in values}
    return tuple(r for r in Region if r in found)


@record
class Group:
    """Points shown together: under one shared label, said once, when there is one."""

    label: str | None
    points: tuple[Point, ...]  # with the shared label taken off


@record
class RegionBlock:
    """The points of a section that apply to one region (None: to every region)."""

    region: Region | None
    groups: tuple[Group, ...]


@record
class Laid:
    """A section ready to read: blocks by region, and its certainty said once if shared."""

    key: str
    blocks: tuple[RegionBlock, ...]
    certainty: Certainty | None  # every point has this one; then no point repeats it
    split: bool  # whether the blocks carry region headings
    tagged: bool = False  # one list; a point for one region names it before its text


def lay_out(
    section: Section, order: Sequence[Region], *, filtered: bool = False, compact: bool = False
) -> Laid:
    """*section*'s points grouped by region (common ones first, then in *order*, the
    page's regions), each run of two or more points with one label under it once.

    Region headings are shown only on a page for more than one region that was not
    narrowed to one (*filtered*). *compact* (the one-screen version) keeps one list
    instead, each point for one region tagged with it."""
    others = sorted(r for p in section.points if (r := p.region) and r not in order)
    regions: list[Region | None] = [None, *order, *dict.fromkeys(others)]
    blocks = []
    for region in regions:
        points = [p for p in section.points if p.region == region]
        if points:
            blocks.append(RegionBlock(region, _groups(points)))
    split = not filtered and len(order) > 1 and any(b.region for b in blocks)
    sure = shared_certainty(section.points)
    if compact and split:
        # As written: a neck-only emergency line stays among the other emergency lines.
        return Laid(section.key, (RegionBlock(None, _groups(section.points)),), sure, False, True)
    if not split:
        # Nothing to head: the points in the order the page gives them.
        return Laid(section.key, (RegionBlock(None, _groups(section.points)),), sure, False)
    return Laid(section.key, tuple(blocks), sure, split)


def _groups(points: Sequence[Point]) -> tuple[Group, ...]:
    groups: list[Group] = []
    run: list[Point] = []
    for point in [*points, None]:
        if run and (point is None or point.label != run[0].label or run[0].label is None):
            if len(run) > 1 and run[0].label:
                groups.append(Group(run[0].label, tuple(_unlabel(p) for p in run)))
            else:
                groups.extend(Group(None, (p,)) for p in run)
            run = []
        if point is not None:
            run.append(point)
    return tuple(_merge_singles(groups))


def _merge_singles(groups: list[Group]) -> Iterable[Group]:
    """Neighbouring unshared groups form one list, so a list is not cut into pieces."""
    pending: list[Point] = []
    for group in groups:
        if group.label is None:
            pending.extend(group.points)
            continue
        if pending:
            yield Group(None, tuple(pending))
            pending = []
        yield group
    if pending:
        yield Group(None, tuple(pending))


def _unlabel(point: Point) -> Point:
    return replace(point, label=None)


def shortened(section: Section) -> Section:
    """*section* with each point's short form in place of its text, where it has one."""
    points = tuple(replace(p, text=p.short) if p.short else p for p in section.points)
    return replace(section, points=points)


def shared_certainty(points: Sequence[Point]) -> Certainty | None:
    """The certainty every one of two or more *points* has, or None."""
    found = {p.certainty for p in points}
    if len(points) < 2 or len(found) != 1:
        return None
    return found.pop()


@record
class BarCheck:
    """Whether a compare row's figures may share one bar scale, and if not, why."""

    comparable: bool
    basis: str | None = None  # what every figure measured, when they share it
    why: str = ""  # "basis", "region" or "evidence": the first difference found
    bases: tuple[str | None, ...] = ()  # each figure's basis, for the reason shown


NO_BAR = BarCheck(False)  # a text row, or a row with nothing to draw


def evidence_kind(value: AspectValue, sources: Mapping[str, Source]) -> str:
    """'website' when every source of *value* is a practice, hospital or expert's page,
    'study' when none is, 'mixed' otherwise."""
    kinds = {sources[s].type in WEBSITE_KINDS for s in value.sources if s in sources}
    return {frozenset({True}): "website", frozenset({False}): "study"}.get(
        frozenset(kinds), "mixed"
    )


def bar_check(
    values: Sequence[AspectValue | None],
    sources: Mapping[str, Source],
    regions: Sequence[Sequence[Region]] = (),
) -> BarCheck:
    """Figures compare on one scale only when they measured the same thing, in the same
    region, over the same time, from the same kind of evidence (the knowledge base says
    which). *regions* are each column's page regions: a value on a one-region page is
    that region's even when it does not say so."""
    pages = [*regions, *([()] * (len(values) - len(regions)))]
    shown = [
        (v, v.region or (page[0] if len(page) == 1 else None))
        for v, page in zip(values, pages, strict=True)
        if v is not None and v.low is not None
    ]
    bases = tuple(v.basis for v, _ in shown)
    if len({(b or "").casefold() for b in bases}) > 1:
        return BarCheck(False, why="basis", bases=bases)
    # A figure for every region fits beside one region's; a neck figure beside a low back
    # one does not.
    if len({region for _, region in shown} - {None}) > 1:
        return BarCheck(False, why="region", bases=bases)
    if len({(v.timeframe or "").casefold() for v, _ in shown}) > 1:
        return BarCheck(False, why="timeframe", bases=bases)
    if len({evidence_kind(v, sources) for v, _ in shown}) > 1:
        return BarCheck(False, why="evidence", bases=bases)
    return BarCheck(True, basis=bases[0] if bases else None, bases=bases)
