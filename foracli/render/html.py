"""A self-contained, printable HTML handout: one page, inline CSS, no scripts, no fetches.

Every piece of knowledge-base text goes through `html.escape`; only citation links
(DOI, PubMed, a source's own http(s) page) become hrefs, and they load nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from html import escape
from typing import TextIO
from urllib.parse import quote, urlsplit

from foracli.content import Words, words
from foracli.core.layout import Laid
from foracli.core.model import (
    SECTIONS_BY_KEY,
    AspectValue,
    Point,
    Source,
    Term,
    end_sentence,
)
from foracli.core.query import ComparisonView, Explanation, Handout, Row
from foracli.core.record import replace
from foracli.render.common import (
    Citations,
    bar_reason,
    cell_amount,
    certainty_sentence,
    finding_phrase,
    laid_out,
    mark,
    missing_value,
    needs_legend,
    pair_label,
    point_text,
    row_label,
    section_certainty,
    source_line,
)

_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_PMID = re.compile(r"^\d{1,9}$")

STYLE = """\
:root { color-scheme: light; }
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0 auto; max-width: 42rem; padding: 1.25rem 1rem 2.5rem;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "Noto Sans", "Liberation Sans", "DejaVu Sans", sans-serif;
  font-size: 1.075rem; line-height: 1.5; color: #1b1b1b; background: #fff;
  overflow-wrap: break-word;
}
h1, h2, h3 { line-height: 1.25; }
h1 { font-size: 1.8rem; margin: 0.2rem 0 0.6rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 0.6rem; padding-bottom: 0.2rem;
  border-bottom: 1px solid #bbb; }
h3 { font-size: 1.1rem; margin: 1.5rem 0 0.5rem; }
p { margin: 0.6rem 0; }
a { color: #0b50b8; }
.kicker { margin: 0; font-size: 0.85rem; letter-spacing: 0.05em; text-transform: uppercase;
  color: #555; }
.summary { font-size: 1.15rem; }
.emergency { margin: 1.2rem 0; padding: 0.7rem 0.9rem; border: 2px solid #b3261e;
  border-left-width: 0.5rem; }
ul, ol { margin: 0.5rem 0; padding-left: 1.5rem; }
ol { padding-left: 2rem; }
.sources ol { padding-left: 2.6rem; }
li { margin: 0.45rem 0; }
.certainty { font-style: italic; color: #444; }
.cite { font-size: 0.85em; white-space: nowrap; }
table { width: 100%; margin: 0.8rem 0; border-collapse: collapse; font-size: 0.95rem;
  table-layout: fixed; hyphens: auto; }
thead th:first-child { width: 24%; }
th, td { padding: 0.45rem 0.5rem; border: 1px solid #bbb; text-align: left;
  vertical-align: top; }
thead th { border-bottom: 2px solid #555; }
.nodata { font-style: italic; color: #555; }
.caveat { display: block; font-weight: 400; font-style: italic; font-size: 0.85em;
  color: #444; }
.legend { font-size: 0.9rem; color: #444; }
.group { margin: 0.8rem 0 0.2rem; font-weight: 700; }
.answer { display: block; height: 2.6em; border-bottom: 1px solid #999;
  background: repeating-linear-gradient(transparent 0 1.25em, #ddd 1.25em 1.3em); }
.sources { font-size: 0.8rem; }
dt { margin-top: 0.7rem; font-weight: 700; }
dd { margin: 0.1rem 0 0; }
.sources li { overflow-wrap: anywhere; }
footer { margin-top: 2.5rem; padding-top: 0.8rem; border-top: 2px solid #555;
  font-size: 0.95rem; }
@media (max-width: 36rem) {
  body { padding: 1rem 0.8rem 2rem; }
  h1 { font-size: 1.6rem; }
  /* A phone has no room for columns: each row becomes a card, each cell says whose it is. */
  table, tbody, tr, th, td { display: block; }
  thead { position: absolute; width: 1px; height: 1px; overflow: hidden;
    clip-path: inset(50%); white-space: nowrap; }
  tbody tr { margin: 0 0 0.8rem; border: 1px solid #bbb; }
  tbody th, tbody td { border: 0; padding: 0.4rem 0.6rem; }
  tbody th { border-bottom: 1px solid #bbb; }
  td::before { content: attr(data-label) ": "; font-weight: 700; }
}
@page { size: A4; margin: 14mm 15mm 16mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; line-height: 1.3; color: #000; }
  h2 { margin-top: 0.9rem; font-size: 13pt; }
  h1 { font-size: 18pt; }
  .answer { height: 1.9em; }
  footer { margin-top: 0.8rem; padding-top: 0.3rem; font-size: 8pt; }
  table { font-size: 9pt; }
  th, td { padding: 0.25rem 0.4rem; }
  li { margin: 0.25rem 0; }
  .sources { font-size: 7.5pt; line-height: 1.25; }
  .sources ol, #glossary dl { columns: 2; column-gap: 6mm; }
  .sources.short { font-size: 6pt; line-height: 1.2; }
  .sources.short ol { columns: 3; column-gap: 4mm; padding-left: 1.6rem; }
  .sources.short a.id::after { content: none; }
  #glossary { font-size: 8pt; line-height: 1.2; }
  #glossary dl { columns: 3; column-gap: 5mm; }
  #glossary dt { margin-top: 0.3rem; }
  .sources li { margin: 0.1rem 0; }
  a { color: inherit; }
  table { font-size: 10pt; }
  a.id::after { content: " <" attr(href) ">"; }
  li, tr, dt, dd, .emergency, footer { break-inside: avoid; page-break-inside: avoid; }
  h1, h2, h3, dt { break-after: avoid; page-break-after: avoid; }
  thead { display: table-header-group; }
}
"""


class HtmlHandoutRenderer:
    """Renders the handout as one self-contained HTML page."""

    def __init__(self, *, locale: str = "en") -> None:
        self.words = words(locale)

    def render(self, view: Handout, out: TextIO) -> None:
        """Write *view* to *out*."""
        render_handout(view, out, self.words)


def render_handout(page: Handout, out: TextIO, w: Words) -> None:
    """Write one patient handout page to *out*: sections, comparison, terms, sources."""
    view, comparison, terms = page.explanation, page.comparison, page.terms
    proc = view.procedure
    shown = list(comparison.procedures) if comparison else [proc]
    sources = _unique([*view.sources, *(comparison.sources if comparison else ())])
    citations = Citations.of(sources)
    title = proc.name
    if comparison:
        title = w.text("compared-with").join(p.name for p in comparison.procedures)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(w.text('handout.title', title=title))}</title>",
        f"<style>\n{STYLE}{_page_footer(w.review(shown))}</style>",
        "</head>",
        "<body>",
        "<header>",
        f'<p class="kicker">{escape(w.text("handout.kicker"))}</p>',
        f"<h1>{escape(proc.name)}</h1>",
        f'<p class="summary">{escape(proc.summary)}</p>',
        f'<p class="emergency"><strong>{escape(w.text("handout.get-help"))}:</strong> '
        f"{escape(w.emergency(view.region))}</p>",
        "</header>",
        "<main>",
    ]
    laid = [laid_out(view, section) for section in view.sections]
    if needs_legend(laid):
        parts.append(f'<p class="legend">{escape(w.text("certainty.legend"))}</p>')
    for section, section_laid in zip(view.sections, laid, strict=True):
        parts.append(f'<section id="{section.key}">')
        parts.append(f"<h2>{escape(w.section_title(section.key, proc.approach))}</h2>")
        parts += _section(section_laid, citations, w)
        parts.append("</section>")
        if section.key == "key-points" and view.glance and comparison is None:
            parts += _figures(view, citations, w)
        if section.key == "key-points" and comparison is not None and not page.full:
            parts += _comparison(comparison, citations, w, short=True)
    if comparison and page.full:
        parts += _comparison(comparison, citations, w, short=False)
    if terms:
        parts += _glossary(terms, w)
    parts += _sources(sources, citations, w, notes=page.full)
    parts += [
        "</main>",
        "<footer>",
        f"<p>{escape(w.review(shown))}</p>",
        f"<p>{escape(w.text('about.footer'))}</p>",
        f"<p>{escape(w.text('disclaimer'))} {escape(w.emergency(view.region))}</p>",
        "</footer>",
        "</body>",
        "</html>",
    ]
    out.write("\n".join(parts) + "\n")


def _page_footer(review: str) -> str:
    """Print margins: the review dates bottom left, 'Page 2 of 4' bottom right."""
    quoted = review.replace("\\", "\\\\").replace('"', '\\"')
    return (
        "@page {\n"
        f'  @bottom-left {{ content: "{quoted}"; font-size: 8pt; color: #444; }}\n'
        '  @bottom-right { content: "Page " counter(page) " of " counter(pages);'
        " font-size: 8pt; color: #444; }\n"
        "}\n"
    )


def _section(laid: Laid, citations: Citations, w: Words) -> list[str]:
    """A section's lists: its shared certainty once, region headings, labels once."""
    parts = []
    if laid.certainty is not None:
        parts.append(f'<p class="certainty">{escape(section_certainty(laid, w))}</p>')
    tag = "ol" if SECTIONS_BY_KEY[laid.key].numbered else "ul"
    answers = laid.key == "questions"
    for block in laid.blocks:
        if laid.split and block.region is not None:
            parts.append(f"<h3>{escape(w.region(block.region))}</h3>")
        for group in block.groups:
            if group.label:
                parts.append(f'<p class="group">{escape(group.label)}</p>')
            parts.append(f"<{tag}>")
            for point in group.points:
                body = _point(point, citations, w, laid)
                room = '<span class="answer"></span>' if answers else ""
                parts.append(f"<li>{body}{room}</li>")
            parts.append(f"</{tag}>")
    return parts


def _figures(view: Explanation, citations: Citations, w: Words) -> list[str]:
    """The page's own figures at a glance, each with what it measured."""
    parts = [
        '<section id="figures">',
        f"<h2>{escape(w.text('heading.figures'))}</h2>",
        '<table class="figures">',
        "<tbody>",
    ]
    for value in view.glance:
        body = _join(
            escape(cell_amount(value, view, w)),
            _mark(value, w),
            _marks(value.sources, citations),
        )
        parts.append(
            f'<tr><th scope="row">{escape(w.aspect_label(value.key))}</th><td>{body}</td></tr>'
        )
    parts += ["</tbody>", "</table>", "</section>"]
    return parts


def _mark(item: Point | AspectValue, w: Words) -> str:
    if item.certainty is None:
        return ""
    return f'<em class="certainty">{escape(w.certainty_mark(item.certainty))}</em>'


def _unique(sources: Iterable[Source]) -> list[Source]:
    return list({s.id: s for s in sources}.values())


def _marks(ids: Iterable[str], citations: Citations) -> str:
    numbers = citations.marks(ids)
    if not numbers:
        return ""
    links = ", ".join(f'<a href="#source-{n}">{n}</a>' for n in numbers)
    return f'<span class="cite">[{links}]</span>'


def _sure(item: Point | AspectValue, w: Words) -> str:
    sentence = certainty_sentence(item, w)
    return f'<em class="certainty">{escape(sentence)}</em>' if sentence else ""


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def _point(point: Point, citations: Citations, w: Words, laid: Laid) -> str:
    label = f"<strong>{escape(point.label)}:</strong> " if point.label else ""
    sure = mark(point, laid, w)
    return _join(
        label + escape(point_text(point, w)),
        f'<em class="certainty">{escape(sure)}</em>' if sure else "",
        _marks(point.sources, citations),
    )


def _cell(
    view: ComparisonView, row: Row, column: int, citations: Citations, w: Words, *, short: bool
) -> str:
    proc, value = view.procedures[column], row.values[column]
    td = f'<td data-label="{escape(proc.name)}">'
    if value is None:
        return f'{td}<span class="nodata">{escape(missing_value(row, column, w))}</span></td>'
    amount = cell_amount(value, view, w, with_text=not short)
    body = _join(
        escape(end_sentence(amount)),
        "" if short else escape(value.note or ""),
        _mark(value, w) if short else _sure(value, w),
        _marks(value.sources, citations),
    )
    return f"{td}{body}</td>"


def _comparison(view: ComparisonView, citations: Citations, w: Words, *, short: bool) -> list[str]:
    names = [escape(p.name) for p in view.procedures]
    parts = [
        '<section id="comparison">',
        f"<h2>{escape(w.text('compared-with')).join(names)}</h2>",
        "<table>",
        "<thead>",
        f'<tr><th scope="col">{escape(w.text("column.aspect"))}</th>'
        + "".join(f'<th scope="col">{n}</th>' for n in names)
        + "</tr>",
        "</thead>",
        "<tbody>",
    ]
    for row in view.rows:
        if short and not row.spec.unit:
            continue  # at a glance: the figures; the words are in --full
        cells = "".join(
            _cell(view, row, n, citations, w, short=short) for n in range(len(view.procedures))
        )
        why = bar_reason(row, w)
        why = why[:1].upper() + why[1:]
        caveat = f'<span class="caveat">{escape(why)}</span>' if why else ""
        label = escape(row_label(row, w))
        parts.append(f'<tr><th scope="row">{label}{caveat}</th>{cells}</tr>')
    parts += ["</tbody>", "</table>"]
    findings = [(row, match) for row in view.rows for match in row.head_to_head]
    if findings and not short:
        parts += [f"<h3>{escape(w.text('heading.studies-found'))}</h3>", "<ul>"]
        for row, match in findings:
            found = match.finding
            verdict = end_sentence(finding_phrase(found, match.subject, w))
            sure = certainty_sentence(found, w)
            body = _join(
                escape(verdict),
                escape(found.text),
                f'<em class="certainty">{escape(sure)}</em>' if sure else "",
                _marks(found.sources, citations),
            )
            label = f"{row_label(row, w)}, {pair_label(match, w)}"
            parts.append(f"<li><strong>{escape(label)}:</strong> {body}</li>")
        parts.append("</ul>")
    parts.append("</section>")
    return parts


def _glossary(terms: Sequence[Term], w: Words) -> list[str]:
    parts = ['<section id="glossary">', f"<h2>{escape(w.text('heading.words-used'))}</h2>", "<dl>"]
    for term in terms:
        also = (
            f" ({w.text('label.also')}: {escape(', '.join(term.aliases))})" if term.aliases else ""
        )
        parts.append(f"<dt>{escape(term.term)}{also}</dt>")
        parts.append(f"<dd>{escape(term.definition)}</dd>")
    parts += ["</dl>", "</section>"]
    return parts


def _sources(
    sources: Sequence[Source], citations: Citations, w: Words, *, notes: bool = True
) -> list[str]:
    if not sources:
        return []
    parts = [
        f'<section id="sources" class="sources{"" if notes else " short"}">',
        f"<h2>{escape(w.text('heading.sources'))}</h2>",
        "<ol>",
    ]
    for source in sources:
        number = citations.numbers[source.id]
        body = _citation(source, w) if notes else _short_citation(source, w)
        parts.append(f'<li id="source-{number}">{body}</li>')
    parts += ["</ol>", "</section>"]
    return parts


def _links(source: Source) -> list[tuple[str, str]]:
    """(text as it appears in the citation, href) for each id that is safe to link."""
    links = []
    if source.doi and _DOI.match(source.doi):
        links.append((f"doi:{source.doi}", "https://doi.org/" + quote(source.doi, safe="/")))
    if source.pmid and _PMID.match(source.pmid):
        links.append((f"PMID {source.pmid}", f"https://pubmed.ncbi.nlm.nih.gov/{source.pmid}/"))
    # Only http(s): a `javascript:` or `file:` URL in a knowledge base stays plain text.
    if source.url and urlsplit(source.url).scheme in ("http", "https"):
        links.append((source.url, source.url))
    return links


def _short_citation(source: Source, w: Words) -> str:
    """The short handout's small print: first author and 'et al.', the DOI or PMID, and
    for a web page only its site's name, linked (`foracli sources` has the rest)."""
    names = (source.authors or "").split(", ")
    authors = f"{names[0]} et al" if len(names) > 2 else source.authors
    url = source.url if source.url and urlsplit(source.url).scheme in ("http", "https") else None
    brief = replace(source, authors=authors, url=None if (source.doi or source.pmid) else url)
    if brief.url is None or url is None:
        return _citation(replace(brief, url=None), w, notes=False)
    site = urlsplit(url).netloc.removeprefix("www.")
    text = _citation(replace(brief, url=None), w, notes=False)
    return f'{text} <a href="{escape(url)}">{escape(site)}</a>'


def _citation(source: Source, w: Words, *, notes: bool = True) -> str:
    """`source_line`, escaped, with its DOI, PMID or URL turned into links (the short
    handout leaves out the finders' notes: `foracli sources` prints them)."""
    text = source_line(source, w) if notes else f"{w.citation(source)} ({w.evidence_label(source)})"
    end_of_citation = len(w.citation(source))  # the ids end it; the note may repeat them
    spans = []
    for label, href in _links(source):
        start = text.rfind(label, 0, end_of_citation)
        if start >= 0:
            spans.append((start, start + len(label), href))
    html, pos = [], 0
    for start, end, href in sorted(spans):
        if start < pos:
            continue
        html.append(escape(text[pos:start]))
        # Print spells out the address of a DOI or PMID link; a bare URL already shows it.
        shown = "" if text[start:end] == href else ' class="id"'
        html.append(f'<a{shown} href="{escape(href)}">{escape(text[start:end])}</a>')
        pos = end
    html.append(escape(text[pos:]))
    return "".join(html)
