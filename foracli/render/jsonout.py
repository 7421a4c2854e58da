"""JSON output: a versioned contract for scripts, written with json.dumps.

Changes are additive only; bump SCHEMA_VERSION for anything else.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TextIO

from foracli.content import Words
from foracli.core.about import About
from foracli.core.decide import Decision
from foracli.core.errors import Problem
from foracli.core.layout import shared_certainty
from foracli.core.model import AspectValue, Certainty, Point, Procedure, Source
from foracli.core.query import (
    AnswerKind,
    AnswerView,
    ComparisonView,
    Explanation,
    GlossaryView,
    ProcedureList,
    SearchResult,
    SourceList,
)
from foracli.render.common import bar_reason, pair_label

SCHEMA_VERSION = 1
# 2: an aspect with a value per region may appear once per region (compare's rows when
# no region is asked for, explain's figures), each naming its region.
REGIONAL_SCHEMA_VERSION = 2

# An answer names its place by what it is: a row of compare, a section, or a topic.
_PLACE_KEY = {
    AnswerKind.ASPECT: "aspect",
    AnswerKind.FINDING: "aspect",
    AnswerKind.SECTION: "section",
    AnswerKind.TOPIC: "topic",
}


def _procedure(proc: Procedure) -> dict[str, Any]:
    return {
        "id": proc.id,
        "name": proc.name,
        "aliases": list(proc.aliases),
        "approach": proc.approach.value,
        "regions": [r.value for r in proc.regions],
        "summary": proc.summary,
        "reviewed": proc.reviewed.isoformat(),
        "next_review": proc.next_review.isoformat(),
        "variants": list(proc.variants),
    }


def _point(point: Point) -> dict[str, Any]:
    return {
        "text": point.text,
        "label": point.label,
        "sources": list(point.sources),
        "certainty": point.certainty.value if point.certainty else None,
        "region": point.region.value if point.region else None,
        "short": point.short,
        "timeframe": point.timeframe,
    }


def _value(value: AspectValue | None, w: Words) -> dict[str, Any] | None:
    if value is None:
        return None
    return {
        "display": w.amount(value),
        "low": value.low,
        "high": value.high,
        "unit": value.unit,
        "text": value.text,
        "note": value.note,
        "sources": list(value.sources),
        "certainty": value.certainty.value if value.certainty else None,
        "region": value.region.value if value.region else None,
        "basis": value.basis,
        "timeframe": value.timeframe,
    }


def _source(source: Source, w: Words) -> dict[str, Any]:
    return {
        "id": source.id,
        "authors": source.authors,
        "year": source.year,
        "title": source.title,
        "journal": source.journal,
        "doi": source.doi,
        "pmid": source.pmid,
        "url": source.url,
        "type": source.type.value,
        "level": source.level,
        "note": source.note,
        "participants": source.participants,
        "result": source.result,
        "citation": w.citation(source),
    }


def _evidence(source: Source) -> dict[str, Any]:
    return {
        "source": source.id,
        "type": source.type.value,
        "level": source.level,
        "participants": source.participants,
        "result": source.result,
    }


def _level(certainty: Certainty | None) -> str | None:
    return certainty.value if certainty else None


def _dump(document: dict[str, Any], out: TextIO) -> None:
    out.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def render_explanation(view: Explanation, out: TextIO, w: Words) -> None:
    """Write one procedure page as a JSON document to *out*."""
    _dump(
        {
            "schema_version": REGIONAL_SCHEMA_VERSION,
            "kind": "explanation",
            "procedure": _procedure(view.procedure),
            "sections": [
                {
                    "key": section.key,
                    "title": w.section_title(section.key, view.procedure.approach),
                    "points": [_point(p) for p in section.points],
                    "certainty": _level(shared_certainty(section.points)),
                }
                for section in view.sections
            ],
            "region": view.region.value if view.region else None,
            "brief": view.brief,
            "figures": [{"aspect": v.key, **(_value(v, w) or {})} for v in view.glance],
            "sources": [_source(s, w) for s in view.sources],
            "disclaimer": w.text("disclaimer"),
        },
        out,
    )


def render_comparison(view: ComparisonView, out: TextIO, w: Words) -> None:
    """Write a comparison as a JSON document to *out*."""
    _dump(
        {
            "schema_version": REGIONAL_SCHEMA_VERSION,
            "kind": "comparison",
            "procedures": [_procedure(p) for p in view.procedures],
            "rows": [
                {
                    "aspect": row.spec.key,
                    "region": row.region.value if row.region else None,
                    "label": w.aspect_label(row.spec.key),
                    "unit": row.spec.unit,
                    "values": {
                        p.id: _value(v, w) for p, v in zip(view.procedures, row.values, strict=True)
                    },
                    "head_to_head": [
                        {
                            "procedure": m.subject.id,
                            "other": m.finding.other,
                            "finding": m.finding.finding.value,
                            "text": m.finding.text,
                            "pair": pair_label(m, w),
                            "region": m.finding.region.value if m.finding.region else None,
                            "sources": list(m.finding.sources),
                            "certainty": (
                                m.finding.certainty.value if m.finding.certainty else None
                            ),
                        }
                        for m in row.head_to_head
                    ],
                    "evidence": [_evidence(s) for s in view.row_sources(row)],
                    "bar": {
                        "drawn": row.bar.comparable,
                        "basis": row.bar.basis,
                        "why_not": bar_reason(row, w) or None,
                    },
                }
                for row in view.rows
            ],
            "region": view.region.value if view.region else None,
            "sources": [_source(s, w) for s in view.sources],
            "disclaimer": w.text("disclaimer"),
        },
        out,
    )


def render_sources(view: SourceList, out: TextIO, w: Words) -> None:
    """Write a bibliography as a JSON document to *out*."""
    _dump(
        {
            "schema_version": SCHEMA_VERSION,
            "kind": "sources",
            "procedure": view.procedure.id if view.procedure else None,
            "sources": [_source(s, w) for s in view.sources],
        },
        out,
    )


def render_procedures(view: ProcedureList, out: TextIO, w: Words) -> None:
    """Write the list of procedures as a JSON document."""
    _dump(
        {
            "schema_version": SCHEMA_VERSION,
            "kind": "procedures",
            "procedures": [_procedure(p) for p in view.procedures],
        },
        out,
    )


def render_search(view: SearchResult, out: TextIO, w: Words) -> None:
    """Write search hits, best first, as a JSON document."""
    _dump(
        {
            "schema_version": SCHEMA_VERSION,
            "kind": "search",
            "query": view.query,
            "hits": [
                {
                    "procedure": h.document.procedure,
                    "section": h.document.section,
                    "text": h.document.text,
                    "score": round(h.score, 3),
                    "matched": list(h.matched),
                }
                for h in view.hits
            ],
        },
        out,
    )


def render_glossary(view: GlossaryView, out: TextIO, w: Words) -> None:
    """Write glossary terms, with where each is used, as a JSON document."""
    _dump(
        {
            "schema_version": SCHEMA_VERSION,
            "kind": "glossary",
            "terms": [
                {
                    "key": t.key,
                    "term": t.term,
                    "definition": t.definition,
                    "aliases": list(t.aliases),
                    "sources": list(t.sources),
                    "used_in": [
                        {"procedure": pid, "section": section}
                        for pid, section in view.used_in[t.key]
                    ],
                }
                for t in view.terms
            ],
        },
        out,
    )


def render_answer(view: AnswerView, out: TextIO, w: Words) -> None:
    """Write the answers to a question, best first, as a JSON document."""
    from foracli.render.common import answer_card, nothing_lines

    answers = []
    for answer in view.answers:
        card = answer_card(answer, w)
        answers.append(
            {
                "procedure": answer.procedure.id if answer.procedure else None,
                _PLACE_KEY[answer.kind]: answer.place,
                "kind": answer.kind.value,
                "region": answer.region.value if answer.region else None,
                "title": card.title,
                "text": card.text,
                "certainty": answer.certainty.value if answer.certainty else None,
                "sources": list(answer.sources),
                "more": card.more or None,
            }
        )
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "kind": "answer",
        "question": view.question,
        "region": view.region.value if view.region else None,
        "answers": answers,
    }
    if not view.answers:
        document["nothing"] = " ".join(nothing_lines(view, w))
    document["disclaimer"] = w.text("disclaimer")
    _dump(document, out)


def validation_document(problems: Sequence[Problem], *, ok: bool) -> str:
    """The problems as a JSON document (schema_version 1)."""
    return (
        json.dumps(
            {
                "schema_version": 1,
                "kind": "validation",
                "ok": ok,
                "problems": [
                    {
                        "path": p.path,
                        "line": p.line,
                        "column": p.column,
                        "severity": p.severity,
                        "message": p.message,
                    }
                    for p in problems
                ],
            },
            indent=2,
        )
        + "\n"
    )


def render_decision(view: Decision, out: TextIO, w: Words) -> None:
    """The decision aid (see render.decision)."""
    from foracli.render.decision import render_decision_json

    render_decision_json(view, out, w)


def render_about(view: About, out: TextIO, w: Words) -> None:
    """The about statement (see render.decision)."""
    from foracli.render.decision import render_about_json

    render_about_json(view, out, w)


procedure_document = _procedure
value_document = _value
source_document = _source
