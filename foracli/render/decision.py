"""The decision aid and `about` as plain text, Markdown and JSON, and the wording
every format shares (a cell of the option grid, an icon array's caption).

Kept free of Rich; the terminal and the HTML handout use the same pieces.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

from foracli.content import Words
from foracli.core.about import About
from foracli.core.decide import (
    FACTORS,
    OPERATION_ONLY,
    SURE_ITEMS,
    THREE_QUESTIONS,
    Decision,
    Icons,
    Matter,
    is_operation,
)
from foracli.core.model import Procedure, Region, end_sentence
from foracli.core.query import Row
from foracli.core.record import record
from foracli.render.common import Citations, bar_reason, missing_value, source_line
from foracli.render.icons import icon_rows

SCHEMA_VERSION = 1
# 2: with no region, an aspect with a value per region has a grid row per region.
DECISION_SCHEMA_VERSION = 2


@record
class Cell:
    """One option's answer to one question: the words, how sure, and the sources."""

    text: str
    sure: str  # '(not sure)' or ''
    sources: tuple[str, ...]


def cell(view: Decision, row: Row, column: int, w: Words) -> Cell:
    """What the grid says for the option in *column* on *row*."""
    value = row.values[column]
    proc = view.options[column]
    # A row of one region's values names the region once, in its question.
    unnarrowed = view.grid.region is None and row.region is None
    if value is None:
        if row.spec.key in OPERATION_ONLY and not is_operation(proc):
            return Cell(w.text("decide.no-operation"), "", ())
        if row.elsewhere and row.elsewhere[column] is not None:
            missing = missing_value(row, column, w)
            return Cell(end_sentence(missing[:1].upper() + missing[1:]), "", ())
        return Cell(w.text("decide.no-evidence"), "", ())
    if value.low is None:
        text = value.short or value.text or w.text("decide.no-evidence")
        more = w.qualifiers(value, region=unnarrowed)
    else:
        text = w.amount(value, with_text=False)
        parts = [w.qualifiers(value, region=unnarrowed)]
        if value.unit == "in 100":
            parts.append(w.text("decide.time", timeframe=value.timeframe or w.text("bar.not-said")))
        more = "; ".join(p for p in parts if p)
    text = f"{text} ({more})" if more else text
    sure = w.certainty_mark(value.certainty) if value.certainty else ""
    return Cell(end_sentence(text), sure, value.sources)


def short_name(proc: Procedure) -> str:
    """A column heading: the name without its bracketed explanation."""
    return proc.name.split(" (", 1)[0]


def question(key: str, w: Words, region: Region | None = None) -> str:
    """The grid row *key* as the question patients ask, for *region* where its wording
    differs ("Will it help my arm pain?" for the neck)."""
    if region is not None and f"decide.q.{key}.{region.value}" in w.messages:
        return w.text(f"decide.q.{key}.{region.value}")
    return w.text(f"decide.q.{key}")


def row_question(view: Decision, row: Row, w: Words) -> str:
    """The question of *row*: worded for the region asked, or for the row's own region
    (then named, unless the wording already says it) when the grid has one per region."""
    text = question(row.spec.key, w, row.region or view.grid.region)
    if row.region is None or text != question(row.spec.key, w):
        return text
    return w.text("decide.q.region", question=text, region=w.region(row.region).lower())


def why_not(row: Row, w: Words, view: Decision | None = None) -> str:
    """'How long will I be off work? Not comparable, as ...', or ''."""
    reason = bar_reason(row, w)
    if not reason:
        return ""
    return w.text(
        "decide.why",
        question=row_question(view, row, w) if view else question(row.spec.key, w),
        reason=reason[:1].upper() + reason[1:],
    )


def icon_caption(icons: Icons, w: Words) -> str:
    """'Open foraminotomy: about 5 to 10 in 100 people, had another operation (1 to ...)'."""
    return w.text(
        "decide.icons.figure",
        name=icons.procedure.name,
        amount=w.amount(icons.value, with_text=False),
        question_short=w.text(f"decide.icons.short.{icons.aspect}"),
        time=w.text("decide.time", timeframe=icons.timeframe or w.text("bar.not-said")),
    )


def matter_cell(view: Decision, matter: Matter, column: int, w: Words) -> Cell:
    """How the option in *column* fares on one thing the person said matters."""
    if matter.factor.aspect is None:
        key = "decide.surgery.yes" if is_operation(view.options[column]) else "decide.surgery.no"
        return Cell(w.text(key), "", ())
    row = next(r for r in view.grid.rows if r.spec.key == matter.factor.aspect)
    return cell(view, row, column, w)


def factor_line(matter: Matter, w: Words) -> str:
    """'Time off work matters a lot to you.'"""
    return w.text(
        "decide.matters.line",
        factor=w.text(f"decide.factor.{matter.factor.key}"),
        importance=w.text(f"decide.importance.{matter.importance.value}"),
    )


def sure_lines(view: Decision, w: Words) -> Iterator[tuple[str, str]]:
    """(question, 'yes' | 'no' | '') for the four SURE questions."""
    for item in SURE_ITEMS:
        answer = view.answers.sure.get(item)
        said = "" if answer is None else w.text("decide.yes" if answer else "decide.no")
        yield w.text(f"decide.sure.{item}"), said


def sure_verdict(view: Decision, w: Words) -> list[str]:
    """The SURE score and what it suggests (no advice on which option)."""
    score = view.sure_score
    if score is None:
        return [w.text("decide.sure.unanswered")]
    follow = "decide.sure.ready" if score == len(SURE_ITEMS) else "decide.sure.conflict"
    return [w.text("decide.sure.score", score=score), w.text(follow)]


def about_parts(view: About, w: Words) -> list[tuple[str, str]]:
    """(heading, text) of each part of the about statement."""
    dates = w.text("about.dates", reviewed=view.reviewed.isoformat(), due=view.due.isoformat())
    counts = w.text("about.counts", procedures=view.procedures, sources=view.sources)
    return [
        (w.text("about.who.heading"), w.text("about.who")),
        (w.text("about.evidence.heading"), f"{w.text('about.evidence')} {counts}"),
        (w.text("about.money.heading"), w.text("about.money")),
        (w.text("about.dates.heading"), dates),
    ]


def _refs(ids: tuple[str, ...], citations: Citations) -> str:
    return citations.bracket(ids)


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


# -- plain text ---------------------------------------------------------------


def render_decision(view: Decision, out: TextIO, w: Words) -> None:
    """The decision aid as plain lines: the grid one question at a time, ASCII icons."""
    citations = Citations.of(view.grid.sources)
    names = [short_name(p) for p in view.options]
    lines = [w.text("decide.title", options=", ".join(names)), w.text("decide.intro")]
    lines += [w.text("decide.legend"), "", w.text("decide.heading.grid")]
    for row in view.grid.rows:
        lines += ["", row_question(view, row, w)]
        for n, proc in enumerate(view.options):
            c = cell(view, row, n, w)
            lines.append(f"- {proc.name}: {_join(c.text, c.sure, _refs(c.sources, citations))}")
        if reason := why_not(row, w, view):
            lines.append(f"  {reason}")
    lines += _plain_icons(view, w)
    lines += ["", w.text("decide.heading.matters")]
    lines += _plain_matters(view, citations, w)
    lines += _plain_ready(view, w)
    lines += ["", w.text("heading.sources")]
    lines += [f"[{citations.numbers[s.id]}] {source_line(s, w)}" for s in view.grid.sources]
    lines += ["", w.review(view.options), w.text("about.footer"), w.text("decide.private")]
    lines += [w.text("disclaimer"), w.emergency(view.grid.region)]
    out.write("\n".join(lines) + "\n")


def _plain_icons(view: Decision, w: Words) -> list[str]:
    if not view.icons:
        return []
    lines = ["", w.text("decide.heading.icons"), w.text("decide.icons.legend")]
    for icons in view.icons:
        lines += ["", icon_caption(icons, w)]
        lines += icon_rows(icons.low, icons.high, ascii_only=True)
    return lines


def _plain_matters(view: Decision, citations: Citations, w: Words) -> list[str]:
    if not view.matters:
        return [w.text("decide.matters.none")]
    lines: list[str] = []
    for matter in view.matters:
        lines += [""] if lines else []
        lines.append(factor_line(matter, w))
        for n, proc in enumerate(view.options):
            c = matter_cell(view, matter, n, w)
            lines.append(f"- {proc.name}: {_join(c.text, c.sure, _refs(c.sources, citations))}")
    return lines


def _plain_ready(view: Decision, w: Words) -> list[str]:
    lines = ["", w.text("decide.heading.ready")]
    lines += [f"- {q} {a}".rstrip() for q, a in sure_lines(view, w)]
    lines += sure_verdict(view, w)
    lines += ["", w.text("decide.heading.ask")]
    lines += [f"{n}. {w.text(f'decide.ask.{k}')}" for n, k in enumerate(THREE_QUESTIONS, 1)]
    if view.answers.questions:
        lines += ["", w.text("decide.heading.own")]
        lines += [f"- {q}" for q in view.answers.questions]
    lines += [w.text("decide.sure.source")]
    return lines


def render_about(view: About, out: TextIO, w: Words) -> None:
    """The about statement as plain text."""
    lines = [w.text("about.title")]
    for heading, text in about_parts(view, w):
        lines += ["", heading, text]
    lines += ["", w.text("disclaimer"), w.emergency()]
    out.write("\n".join(lines) + "\n")


# -- Markdown -------------------------------------------------------------------


def render_decision_markdown(view: Decision, out: TextIO, w: Words) -> None:
    """The decision aid as Markdown: the grid as a table, a summary to take along."""
    from foracli.render.markdown import escape

    citations = Citations.of(view.grid.sources)
    names = [short_name(p) for p in view.options]
    lines = [f"# {escape(w.text('decide.title', options=', '.join(names)))}", ""]
    lines += [escape(w.text("decide.intro")), "", f"*{escape(w.text('decide.legend'))}*", ""]
    lines += [f"## {escape(w.text('decide.heading.grid'))}", ""]
    heads = [escape(short_name(p)) for p in view.options]
    lines.append("| | " + " | ".join(heads) + " |")
    lines.append("|---" * (len(names) + 1) + "|")
    reasons = []
    for row in view.grid.rows:
        cells = []
        for n in range(len(view.options)):
            c = cell(view, row, n, w)
            cells.append(escape(_join(c.text, c.sure, _refs(c.sources, citations))))
        lines.append(f"| **{escape(row_question(view, row, w))}** | " + " | ".join(cells) + " |")
        if reason := why_not(row, w, view):
            reasons.append(f"- {escape(reason)}")
    if reasons:
        lines += ["", *reasons]
    if view.icons:
        lines += ["", f"## {escape(w.text('decide.heading.icons'))}", ""]
        lines += [escape(w.text("decide.icons.legend")), ""]
        for icons in view.icons:
            lines += [escape(icon_caption(icons, w)), "", "```text"]
            lines += icon_rows(icons.low, icons.high)
            lines += ["```", ""]
    lines += [f"## {escape(w.text('decide.heading.matters'))}", ""]
    if not view.matters:
        lines.append(escape(w.text("decide.matters.none")))
    for matter in view.matters:
        lines += [f"**{escape(factor_line(matter, w))}**", ""]
        for n, proc in enumerate(view.options):
            c = matter_cell(view, matter, n, w)
            text = escape(_join(c.text, c.sure, _refs(c.sources, citations)))
            lines.append(f"- {escape(proc.name)}: {text}")
        lines.append("")
    lines += ["", f"## {escape(w.text('decide.heading.summary'))}", ""]
    lines += [f"### {escape(w.text('decide.heading.ready'))}", ""]
    for q, a in sure_lines(view, w):
        lines.append(f"- {escape(q)} **{escape(a or '____')}**")
    lines += ["", *(escape(t) for t in sure_verdict(view, w)), ""]
    lines += [f"### {escape(w.text('decide.heading.ask'))}", ""]
    for n, key in enumerate(THREE_QUESTIONS, 1):
        lines += [
            f"{n}. {escape(w.text(f'decide.ask.{key}'))}",
            "",
            "   ______________________",
            "",
        ]
    lines += [f"### {escape(w.text('decide.heading.own'))}", ""]
    lines += [f"- {escape(q)}" for q in view.answers.questions] or ["- ______________________"]
    lines += [
        "",
        escape(w.text("decide.sure.source")),
        "",
        f"## {escape(w.text('heading.sources'))}",
    ]
    lines.append("")
    lines += [f"{citations.numbers[s.id]}. {escape(source_line(s, w))}" for s in view.grid.sources]
    lines += ["", "---", "", escape(w.review(view.options)), "", escape(w.text("about.footer"))]
    lines += ["", escape(w.text("decide.private")), ""]
    lines += [f"**{escape(w.text('disclaimer'))}** {escape(w.emergency(view.grid.region))}"]
    out.write("\n".join(lines) + "\n")


def render_about_markdown(view: About, out: TextIO, w: Words) -> None:
    """The about statement as Markdown."""
    from foracli.render.markdown import escape

    lines = [f"# {escape(w.text('about.title'))}"]
    for heading, text in about_parts(view, w):
        lines += ["", f"## {escape(heading)}", "", escape(text)]
    lines += ["", f"**{escape(w.text('disclaimer'))}** {escape(w.emergency())}"]
    out.write("\n".join(lines) + "\n")


# -- JSON -------------------------------------------------------------------------


def decision_document(view: Decision, w: Words) -> dict[str, Any]:
    """The decision aid as a JSON-ready document (schema_version 2; README has the shape)."""
    from foracli.render import jsonout

    ids = [p.id for p in view.options]
    grid = []
    for row in view.grid.rows:
        cells = {}
        for n, pid in enumerate(ids):
            c = cell(view, row, n, w)
            value = row.values[n]
            cells[pid] = {
                "text": c.text,
                "certainty": value.certainty.value if value and value.certainty else None,
                "sources": list(c.sources),
                "value": jsonout.value_document(value, w),
            }
        grid.append(
            {
                "aspect": row.spec.key,
                "region": row.region.value if row.region else None,
                "question": row_question(view, row, w),
                "cells": cells,
                "comparable": row.bar.comparable if row.spec.unit else None,
                "why_not": bar_reason(row, w) or None,
            }
        )
    matters = [
        {
            "factor": m.factor.key,
            "label": w.text(f"decide.factor.{m.factor.key}"),
            "importance": m.importance.value,
            "aspect": m.factor.aspect,
            "cells": {pid: matter_cell(view, m, n, w).text for n, pid in enumerate(ids)},
        }
        for m in view.matters
    ]
    return {
        "schema_version": DECISION_SCHEMA_VERSION,
        "kind": "decision",
        "region": view.grid.region.value if view.grid.region else None,
        "options": [jsonout.procedure_document(p) for p in view.options],
        "grid": grid,
        "icons": [
            {
                "aspect": i.aspect,
                "procedure": i.procedure.id,
                "low": i.low,
                "high": i.high,
                "per": 100,
                "timeframe": i.timeframe,
            }
            for i in view.icons
        ],
        "factors": [f.key for f in FACTORS],
        "matters": matters,
        "sure": {
            "answers": {item: view.answers.sure.get(item) for item in SURE_ITEMS},
            "score": view.sure_score,
        },
        "three_questions": [w.text(f"decide.ask.{k}") for k in THREE_QUESTIONS],
        "own_questions": list(view.answers.questions),
        "sources": [jsonout.source_document(s, w) for s in view.grid.sources],
        "reviewed": min(p.reviewed for p in view.options).isoformat(),
        "next_review": min(p.next_review for p in view.options).isoformat(),
        "about": w.text("about.footer"),
        "disclaimer": w.text("disclaimer"),
    }


def render_decision_json(view: Decision, out: TextIO, w: Words) -> None:
    """The decision aid as JSON."""
    out.write(json.dumps(decision_document(view, w), ensure_ascii=False, indent=2) + "\n")


def render_about_json(view: About, out: TextIO, w: Words) -> None:
    """The about statement as JSON."""
    document = {
        "schema_version": SCHEMA_VERSION,
        "kind": "about",
        "parts": [{"heading": h, "text": t} for h, t in about_parts(view, w)],
        "reviewed": view.reviewed.isoformat(),
        "next_review": view.due.isoformat(),
        "procedures": view.procedures,
        "sources": view.sources,
        "disclaimer": w.text("disclaimer"),
    }
    out.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
