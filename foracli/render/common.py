"""Pieces shared by every renderer: citation numbers, cells, the footer's wording.

Kept free of Rich so the plain, Markdown and JSON paths stay light. Every word
comes from content (`Words`), passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from foracli.content import Words
from foracli.core.figures import needs_timeframe, stated
from foracli.core.layout import Laid, lay_out
from foracli.core.model import (
    SECTIONS,
    AspectValue,
    Comparison,
    Point,
    Procedure,
    Section,
    Source,
    end_sentence,
)
from foracli.core.query import (
    Answer,
    AnswerKind,
    AnswerView,
    ComparisonView,
    Explanation,
    HeadToHead,
    Row,
)
from foracli.core.record import record


@record
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


def certainty_sentence(point: Point | AspectValue | Comparison, w: Words) -> str:
    """'We are fairly sure.' for a point with a certainty, else ''."""
    return f"{w.certainty(point.certainty)}." if point.certainty else ""


def finding_phrase(comparison: Comparison, subject: Procedure, w: Words) -> str:
    """Short verdict ('no clear difference', 'lower with Endoscopic ...')."""
    return w.finding(comparison.finding, subject.name)


def source_line(source: Source, w: Words) -> str:
    """Citation plus the kind of study and its evidence level."""
    line = f"{w.citation(source)} ({w.evidence_label(source)})"
    if source.note:
        line += f" {source.note}"
    return line


def source_link(source: Source) -> str | None:
    """Where a source can be read: its DOI, else its PubMed record, else its page;
    None for no address, or one that is not a plain http(s) link (never sent to a
    terminal inside an escape sequence)."""
    if source.doi:
        target = f"https://doi.org/{source.doi}"
    elif source.pmid:
        target = f"https://pubmed.ncbi.nlm.nih.gov/{source.pmid}/"
    else:
        target = source.url or ""
    plain = target.startswith(("https://", "http://")) and target.isprintable()
    return target if plain and " " not in target else None


def point_text(point: Point, w: Words) -> str:
    """*point*'s text, followed by its time frame where a figure in it names no time of
    its own ("... about 8 in 100 people. Time: not stated in the review."). A short form
    (explain --brief, the short handout) is kept to its one line: the page gives the time.
    """
    if point.short is not None and point.text == point.short:
        return point.text
    if not (stated(point.timeframe) and needs_timeframe(point.text)):
        return point.text
    return f"{point.text} {w.text('point.time', timeframe=point.timeframe)}"


def point_parts(
    point: Point, citations: Citations, w: Words, laid: Laid | None = None
) -> tuple[str, str, str, str]:
    """(label, text, certainty, citation bracket) for a point: the certainty as a
    sentence, or as a short mark when *laid* (its section) is given."""
    shown = point.label if laid is None else shown_label(point, laid, w)
    label = f"{shown}: " if shown else ""
    sure = certainty_sentence(point, w) if laid is None else mark(point, laid, w)
    return label, point_text(point, w), sure, citations.bracket(point.sources)


def laid_out(view: Explanation, section: Section) -> Laid:
    """*section* of *view* grouped for reading (region headings unless narrowed)."""
    return lay_out(
        section, view.procedure.regions, filtered=view.region is not None, compact=view.brief
    )


def shown_label(point: Point, laid: Laid, w: Words) -> str | None:
    """*point*'s label, led by its region when the section is one tagged list."""
    if not (laid.tagged and point.region):
        return point.label
    region = w.region(point.region)
    return f"{region}, {point.label[:1].lower()}{point.label[1:]}" if point.label else region


def mark(point: Point, laid: Laid, w: Words) -> str:
    """The short certainty mark after *point*, unless its section says it once."""
    if laid.certainty is not None or point.certainty is None:
        return ""
    return w.certainty_mark(point.certainty)


def needs_legend(laid: Iterable[Laid]) -> bool:
    """Whether any point on the page carries its own certainty mark."""
    return any(
        laid_section.certainty is None and point.certainty is not None
        for laid_section in laid
        for block in laid_section.blocks
        for group in block.groups
        for point in group.points
    )


def section_certainty(laid: Laid, w: Words) -> str:
    """'How sure we are of every point here: fairly sure.' or ''."""
    if laid.certainty is None:
        return ""
    return w.text("certainty.section", level=w.text(f"certainty.mark.{laid.certainty.value}"))


def pair_label(match: HeadToHead, w: Words) -> str:
    """'Head-to-head, Tubular vs Open': both procedures of a finding, named."""
    other = match.other.name if match.other else match.finding.other
    return w.text("label.head-to-head-pair", a=match.subject.name, b=other)


def bar_reason(row: Row, w: Words) -> str:
    """Why a numeric row draws no bar ('' when it draws one or has nothing to draw)."""
    if row.bar.comparable or not row.bar.why:
        return ""
    bases = ", ".join(b or w.text("bar.not-said") for b in dict.fromkeys(row.bar.bases))
    return w.text(f"bar.{row.bar.why}", bases=bases)


def cell_amount(
    value: AspectValue, view: ComparisonView | Explanation, w: Words, *, with_text: bool = True
) -> str:
    """A figure with what it measured and, on an unnarrowed page, the region it is for."""
    more = [w.qualifiers(value, region=view.region is None)]
    if value.low is None:
        return f"{w.amount(value)} ({more[0]})" if more[0] else w.amount(value)
    if with_text and value.text:
        more.insert(0, value.text)
    extra = "; ".join(m for m in more if m)
    amount = w.amount(value, with_text=False)
    return f"{amount} ({extra})" if extra else amount


def row_label(row: Row, w: Words) -> str:
    """A compare row's label: the aspect, and the region when the row is one region's."""
    label = w.aspect_label(row.spec.key)
    if row.region is None:
        return label
    return w.text("aspect.region", label=label, region=w.region(row.region).lower())


def missing_value(row: Row, column: int, w: Words) -> str:
    """What a cell with no value says: no good data, or that the figure is elsewhere."""
    region = row.elsewhere[column] if row.elsewhere else None
    if region is not None:
        return w.text("amount.elsewhere", region=w.text(f"region.{region.value}.in"))
    return w.text("amount.no-good-data")


def join_nonempty(*parts: str) -> str:
    """Join the non-empty parts with single spaces."""
    return " ".join(p for p in parts if p)


def page_text(view: Explanation, comparison: ComparisonView | None, w: Words) -> str:
    """Everything a reader reads on the page, except the bibliography, one line each."""
    return "\n".join(_page_lines(view, comparison, w))


def _page_lines(view: Explanation, comparison: ComparisonView | None, w: Words) -> Iterator[str]:
    proc = view.procedure
    yield from (proc.name, proc.summary, w.emergency(view.region), w.text("disclaimer"))
    for section in view.sections:
        yield w.section_title(section.key, proc.approach)
        for point in section.points:
            yield from (point.label or "", point.text)
    if comparison is None:
        return
    yield from (p.name for p in comparison.procedures)
    for row in comparison.rows:
        yield row_label(row, w)
        for value in row.values:
            if value is not None:
                yield from (w.amount(value), value.note or "")
        for match in row.head_to_head:
            yield from (finding_phrase(match.finding, match.subject, w), match.finding.text)


@record
class Card:
    """One answer of `ask`, worded: a title, what it says, how sure, the command for more."""

    title: str
    text: str
    certainty: str  # 'We are not sure.' or ''
    more: str  # 'foracli explain open -s recovery' or ''


def answer_card(answer: Answer, w: Words) -> Card:
    """The words of one answer card (citations are the renderer's)."""
    proc = answer.procedure
    if answer.kind is AnswerKind.TOPIC and answer.topic is not None:
        text = w.text("answer.no-evidence", about=answer.topic.about, ask=answer.topic.ask)
        title = w.text("answer.no-evidence-title")
        if proc is not None:
            title = w.text("answer.title", name=proc.name, place=title)
        return Card(title, text, "", _more(answer, w))
    if answer.kind is AnswerKind.SECTION:
        place = w.section_title(answer.place, proc.approach if proc else None)
    else:
        place = w.aspect_label(answer.place)
    name = proc.name if proc else ""
    if answer.finding is not None:
        title = pair_label(answer.finding, w)
        if answer.region is not None:
            title += f" ({w.text(f'region.{answer.region.value}').lower()})"
    elif answer.region is not None:
        region = w.text(f"region.{answer.region.value}").lower()
        title = w.text("answer.title-region", name=name, place=place, region=region)
    else:
        title = w.text("answer.title", name=name, place=place)
    sure = ""
    if answer.point is not None:
        label, text, sure, _ = point_parts(answer.point, Citations({}), w)
        text = label + text
    elif answer.value is not None:
        text = join_nonempty(end_sentence(w.amount(answer.value)), answer.value.note or "")
        sure = certainty_sentence(answer.value, w)
    elif answer.finding is not None:
        found = answer.finding
        verdict = finding_phrase(found.finding, found.subject, w)
        text = join_nonempty(end_sentence(verdict), found.finding.text)
        sure = certainty_sentence(found.finding, w)
    else:
        text = ""
    return Card(title, text, sure, _more(answer, w))


def _more(answer: Answer, w: Words) -> str:
    return "foracli " + " ".join(answer.more) if answer.more else ""


def nothing_lines(view: AnswerView, w: Words) -> list[str]:
    """What to say when the knowledge base has nothing on the question."""
    aspects = ", ".join(w.aspect_label(k).lower() for k in view.offers)
    sections = ", ".join(w.section_title(s.key).lower() for s in SECTIONS)
    return [
        w.text("answer.nothing"),
        w.text("answer.offers", items=aspects),
        w.text("answer.offers-sections", items=sections),
    ]
