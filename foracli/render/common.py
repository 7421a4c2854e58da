"""Pieces shared by every renderer: citation numbers, cells, the footer's wording.

Kept free of Rich so the plain, Markdown and JSON paths stay light. Every word
comes from content (`Words`), passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from foracli.content import Words
from foracli.core.model import AspectValue, Comparison, Point, Procedure, Source
from foracli.core.query import ComparisonView, Explanation


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


def point_parts(point: Point, citations: Citations, w: Words) -> tuple[str, str, str, str]:
    """(label, text, certainty sentence, citation bracket) for a point."""
    label = f"{point.label}: " if point.label else ""
    return label, point.text, certainty_sentence(point, w), citations.bracket(point.sources)


def join_nonempty(*parts: str) -> str:
    """Join the non-empty parts with single spaces."""
    return " ".join(p for p in parts if p)


def page_text(view: Explanation, comparison: ComparisonView | None, w: Words) -> str:
    """Everything a reader reads on the page, except the bibliography, one line each."""
    return "\n".join(_page_lines(view, comparison, w))


def _page_lines(view: Explanation, comparison: ComparisonView | None, w: Words) -> Iterator[str]:
    proc = view.procedure
    yield from (proc.name, proc.summary, w.text("emergency"), w.text("disclaimer"))
    for section in view.sections:
        yield w.section_title(section.key, proc.approach)
        for point in section.points:
            yield from (point.label or "", point.text)
    if comparison is None:
        return
    yield from (p.name for p in comparison.procedures)
    for row in comparison.rows:
        yield w.aspect_label(row.spec.key)
        for value in row.values:
            if value is not None:
                yield from (w.amount(value), value.note or "")
        for match in row.head_to_head:
            yield from (finding_phrase(match.finding, match.subject, w), match.finding.text)
