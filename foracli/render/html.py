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
from foracli.core.model import (
    SECTIONS_BY_KEY,
    AspectValue,
    Point,
    Procedure,
    Source,
    Term,
    end_sentence,
)
from foracli.core.query import ComparisonView, Handout
from foracli.render.common import (
    Citations,
    certainty_sentence,
    finding_phrase,
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
dt { margin-top: 0.7rem; font-weight: 700; }
dd { margin: 0.1rem 0 0; }
.sources { font-size: 0.95rem; }
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
@page { size: A4; margin: 18mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; color: #000; }
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
        f"<style>\n{STYLE}</style>",
        "</head>",
        "<body>",
        "<header>",
        f'<p class="kicker">{escape(w.text("handout.kicker"))}</p>',
        f"<h1>{escape(proc.name)}</h1>",
        f'<p class="summary">{escape(proc.summary)}</p>',
        f'<p class="emergency"><strong>{escape(w.text("handout.get-help"))}:</strong> '
        f"{escape(w.text('emergency'))}</p>",
        "</header>",
        "<main>",
    ]
    for section in view.sections:
        spec = SECTIONS_BY_KEY[section.key]
        tag = "ol" if spec.numbered else "ul"
        parts.append(f'<section id="{section.key}">')
        parts.append(f"<h2>{escape(w.section_title(spec.key, proc.approach))}</h2>")
        parts.append(f"<{tag}>")
        parts += [f"<li>{_point(p, citations, w)}</li>" for p in section.points]
        parts += [f"</{tag}>", "</section>"]
    if comparison:
        parts += _comparison(comparison, citations, w)
    if terms:
        parts += _glossary(terms, w)
    parts += _sources(sources, citations, w)
    parts += [
        "</main>",
        "<footer>",
        f"<p>{escape(w.review(shown))}</p>",
        f"<p>{escape(w.text('disclaimer'))} {escape(w.text('emergency'))}</p>",
        "</footer>",
        "</body>",
        "</html>",
    ]
    out.write("\n".join(parts) + "\n")


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


def _point(point: Point, citations: Citations, w: Words) -> str:
    label = f"<strong>{escape(point.label)}:</strong> " if point.label else ""
    return _join(label + escape(point.text), _sure(point, w), _marks(point.sources, citations))


def _cell(proc: Procedure, value: AspectValue | None, citations: Citations, w: Words) -> str:
    td = f'<td data-label="{escape(proc.name)}">'
    if value is None:
        return f'{td}<span class="nodata">{w.text("amount.no-good-data")}</span></td>'
    body = _join(
        escape(end_sentence(w.amount(value))),
        escape(value.note or ""),
        _sure(value, w),
        _marks(value.sources, citations),
    )
    return f"{td}{body}</td>"


def _comparison(view: ComparisonView, citations: Citations, w: Words) -> list[str]:
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
        cells = "".join(
            _cell(p, v, citations, w) for p, v in zip(view.procedures, row.values, strict=True)
        )
        parts.append(f'<tr><th scope="row">{escape(w.aspect_label(row.spec.key))}</th>{cells}</tr>')
    parts += ["</tbody>", "</table>"]
    findings = [(row, match) for row in view.rows for match in row.head_to_head]
    if findings:
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
            parts.append(
                f"<li><strong>{escape(w.aspect_label(row.spec.key))}:</strong> {body}</li>"
            )
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


def _sources(sources: Sequence[Source], citations: Citations, w: Words) -> list[str]:
    if not sources:
        return []
    parts = [
        '<section id="sources" class="sources">',
        f"<h2>{escape(w.text('heading.sources'))}</h2>",
        "<ol>",
    ]
    for source in sources:
        number = citations.numbers[source.id]
        parts.append(f'<li id="source-{number}">{_citation(source, w)}</li>')
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


def _citation(source: Source, w: Words) -> str:
    """`source_line`, escaped, with its DOI, PMID or URL turned into links."""
    text = source_line(source, w)
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
