"""The decision aid as a printable, self-contained HTML handout: the option grid on
the first page, risks as inline SVG icon arrays, what matters to the person, and a
summary for the surgeon with room to write. Inline CSS, no scripts, no fetches.
"""

from __future__ import annotations

from html import escape
from typing import TextIO

from foracli.content import Words, words
from foracli.core.decide import THREE_QUESTIONS, Decision
from foracli.render import decision
from foracli.render.common import Citations, source_line
from foracli.render.html import STYLE
from foracli.render.icons import icon_svg

EXTRA_STYLE = """\
.grid th[scope=row] { width: 22%; }
.grid td, .grid th { font-size: 0.9rem; }
.icons-row { display: flex; flex-wrap: wrap; gap: 0.8rem 1.2rem; margin: 0.6rem 0; }
.icons-row figure { margin: 0; width: 9.5rem; break-inside: avoid; }
.icons-row figcaption { font-size: 0.8rem; line-height: 1.25; }
.sure li { list-style: none; }
.box { display: inline-block; min-width: 3.2em; border-bottom: 1px solid #555;
  text-align: center; font-weight: 700; }
.why { font-size: 0.85rem; font-style: italic; color: #444; }
.decide-page { break-after: page; page-break-after: always; }
@media print {
  .grid td, .grid th { font-size: 8.5pt; padding: 0.18rem 0.3rem; }
  #decision h1 { font-size: 15pt; }
  #decision h2 { margin-top: 0.5rem; }
  .why { font-size: 8pt; margin: 0.2rem 0; }
  .icons-row { gap: 2mm 5mm; }
  .icons-row figure { width: 38mm; }
  .icons-row svg { width: 24mm; height: 24mm; }
  .icons-row figcaption { font-size: 7.5pt; }
  #decision .emergency { margin: 0.5rem 0; padding: 0.3rem 0.6rem; font-size: 9pt; }
}
"""


class DecisionHandoutRenderer:
    """Renders a Decision as one self-contained HTML page."""

    def __init__(self, *, locale: str = "en") -> None:
        self.words = words(locale)

    def render(self, view: Decision, out: TextIO) -> None:
        """Write *view* to *out*."""
        render_decision_handout(view, out, self.words)


def _cell_html(found: decision.Cell, citations: Citations) -> str:
    parts = [escape(found.text)]
    if found.sure:
        parts.append(f'<span class="certainty">{escape(found.sure)}</span>')
    refs = citations.bracket(found.sources)
    if refs:
        parts.append(f'<span class="cite">{escape(refs)}</span>')
    return " ".join(parts)


def _table(
    view: Decision, first: str, rows: list[tuple[str, list[decision.Cell]]], c: Citations
) -> list[str]:
    heads = "".join(f'<th scope="col">{escape(decision.short_name(p))}</th>' for p in view.options)
    lines = [
        '<table class="grid">',
        f'<thead><tr><th scope="col">{escape(first)}</th>{heads}</tr></thead>',
        "<tbody>",
    ]
    for label, cells in rows:
        tds = "".join(
            f'<td data-label="{escape(decision.short_name(p))}">{_cell_html(cell, c)}</td>'
            for p, cell in zip(view.options, cells, strict=True)
        )
        lines.append(f'<tr><th scope="row">{escape(label)}</th>{tds}</tr>')
    lines += ["</tbody>", "</table>"]
    return lines


def render_decision_handout(view: Decision, out: TextIO, w: Words) -> None:
    """Write the decision handout: grid and pictures first, then the summary to take along."""
    citations = Citations.of(view.grid.sources)
    names = ", ".join(decision.short_name(p) for p in view.options)
    title = w.text("decide.title", options=names)
    review = w.review(view.options)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>\n{STYLE}{EXTRA_STYLE}</style>",
        "</head>",
        "<body>",
        '<section class="decide-page" id="decision">',
        f'<p class="kicker">{escape(w.text("handout.kicker"))}</p>',
        f"<h1>{escape(title)}</h1>",
        f"<p>{escape(w.text('decide.intro'))}</p>",
        f'<p class="legend">{escape(w.text("decide.legend"))}</p>',
    ]
    grid_rows = [
        (
            decision.row_question(view, row, w),
            [decision.cell(view, row, n, w) for n in range(len(view.options))],
        )
        for row in view.grid.rows
    ]
    parts += _table(view, w.text("decide.heading.grid"), grid_rows, citations)
    reasons = [r for row in view.grid.rows if (r := decision.why_not(row, w, view))]
    parts += [f'<p class="why">{escape(r)}</p>' for r in reasons]
    parts.append(
        f'<p class="emergency"><strong>{escape(w.text("handout.get-help"))}:</strong> '
        f"{escape(w.emergency(view.grid.region))}</p>"
    )
    parts.append("</section>")
    parts.append('<section id="summary">')
    if view.icons:
        parts.append(f"<h2>{escape(w.text('decide.heading.icons'))}</h2>")
        parts.append(f'<p class="legend">{escape(w.text("decide.icons.legend"))}</p>')
        parts.append('<div class="icons-row">')
        for icons in view.icons:
            caption = decision.icon_caption(icons, w)
            svg = icon_svg(icons.low, icons.high, escape(caption))
            parts.append(f"<figure>{svg}<figcaption>{escape(caption)}</figcaption></figure>")
        parts.append("</div>")
    parts.append(f"<h2>{escape(w.text('decide.heading.matters'))}</h2>")
    if view.matters:
        rows = [
            (
                decision.factor_line(m, w),
                [decision.matter_cell(view, m, n, w) for n in range(len(view.options))],
            )
            for m in view.matters
        ]
        parts += _table(view, w.text("decide.heading.matters"), rows, citations)
    else:
        parts.append(f"<p>{escape(w.text('decide.matters.none'))}</p>")
    parts.append(f"<h2>{escape(w.text('decide.heading.summary'))}</h2>")
    parts.append(f"<h3>{escape(w.text('decide.heading.ready'))}</h3>")
    parts.append('<ul class="sure">')
    for q, a in decision.sure_lines(view, w):
        parts.append(f'<li><span class="box">{escape(a) or "&nbsp;"}</span> {escape(q)}</li>')
    parts.append("</ul>")
    parts += [f"<p>{escape(t)}</p>" for t in decision.sure_verdict(view, w)]
    parts.append(f"<h3>{escape(w.text('decide.heading.ask'))}</h3>")
    parts.append("<ol>")
    for key in THREE_QUESTIONS:
        parts.append(f'<li>{escape(w.text(f"decide.ask.{key}"))}<span class="answer"></span></li>')
    parts.append("</ol>")
    parts.append(f"<h3>{escape(w.text('decide.heading.own'))}</h3>")
    parts.append("<ul>")
    parts += [f'<li>{escape(q)}<span class="answer"></span></li>' for q in view.answers.questions]
    parts += ['<li><span class="answer"></span></li>'] * 2
    parts.append("</ul>")
    parts.append(f'<p class="legend">{escape(w.text("decide.sure.source"))}</p>')
    parts.append("</section>")
    parts.append(f'<section class="sources short"><h2>{escape(w.text("heading.sources"))}</h2><ol>')
    parts += [f"<li>{escape(source_line(s, w))}</li>" for s in view.grid.sources]
    parts += ["</ol></section>"]
    parts += [
        "<footer>",
        f"<p>{escape(review)}</p>",
        f"<p>{escape(w.text('about.footer'))}</p>",
        f"<p>{escape(w.text('decide.private'))}</p>",
        f"<p>{escape(w.text('disclaimer'))} {escape(w.emergency(view.grid.region))}</p>",
        "</footer>",
        "</body>",
        "</html>",
    ]
    out.write("\n".join(parts) + "\n")
