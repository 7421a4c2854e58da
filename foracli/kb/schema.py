"""The JSON Schema of a procedure file, built from the model's vocabularies.

Editors with a YAML language server use it to validate and complete as people
type; the loader stays the authority (it also checks sources, units and numbers).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from foracli.core.model import (
    ASPECTS,
    PROCEDURE_KEYS,
    SECTIONS,
    Approach,
    Certainty,
    Finding,
    Gap,
    Region,
    StudyType,
)

SCHEMA_ID = "https://foracli.invalid/schema/procedure-1.json"
_ID = {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}
_TEXT = {"type": "string", "minLength": 1}
_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_SOURCES = {"type": "array", "items": _ID, "minItems": 1, "uniqueItems": True}


def _enum(values: type[Any], description: str) -> dict[str, Any]:
    return {"enum": [member.value for member in values], "description": description}


def procedure_schema(
    section_title: Callable[[str], str], aspect_label: Callable[[str], str]
) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) for one procedure file."""
    certainty = _enum(Certainty, "How sure the evidence lets us be (GRADE).")
    region = _enum(
        Region, "The one region this applies to; leave it out when it applies to every region."
    )
    point = {
        "oneOf": [
            {**_TEXT, "description": "A plain point with no number and no claim needing a source."},
            {
                "type": "object",
                "required": ["text"],
                "additionalProperties": False,
                "properties": {
                    "text": _TEXT,
                    "label": {
                        **_TEXT,
                        "description": "Short lead-in, such as a variant or a time.",
                    },
                    "sources": _SOURCES,
                    "certainty": certainty,
                    "region": region,
                    "short": {
                        **_TEXT,
                        "maxLength": 76,
                        "description": "The same advice in a few words (one line), for "
                        "explain --brief and the short handout.",
                    },
                    "timeframe": {
                        **_TEXT,
                        "description": "Over what time the point's 'N in 100' figures were "
                        "counted (for example 'within 2 years').",
                    },
                },
            },
        ]
    }
    aspect_props: dict[str, Any] = {}
    for spec in ASPECTS:
        props: dict[str, Any] = {
            "text": _TEXT,
            "note": _TEXT,
            "sources": _SOURCES,
            "certainty": certainty,
            "region": region,
            "basis": {
                **_TEXT,
                "description": "What this figure measured, where that varies between pages "
                "(for example 'desk work' or 'full duty'); bars compare only figures of "
                "the same basis, region and kind of source.",
            },
            "timeframe": {
                **_TEXT,
                "description": "Over what time a risk or benefit was counted "
                "(for example 'within 2 years'); every 'in 100' figure needs one.",
            },
            "short": {
                **_TEXT,
                "maxLength": 76,
                "description": "The cell in a few words (one line), for the decision grid.",
            },
        }
        if spec.unit:
            props |= {
                "low": {"type": "number", "minimum": 0},
                "high": {"type": "number", "minimum": 0},
                "unit": {"const": spec.unit},
            }
        one = {
            "type": "object",
            "required": ["sources"],
            "additionalProperties": False,
            "properties": props,
        }
        aspect_props[spec.key] = {
            "description": aspect_label(spec.key)
            + (f" (unit: {spec.unit})" if spec.unit else " (text)")
            + ": one value, or a list of one value per region, each with its 'region'.",
            "oneOf": [
                one,
                {
                    "type": "array",
                    "minItems": 1,
                    "items": {**one, "required": ["sources", "region"]},
                },
            ],
        }
    source = {
        "type": "object",
        "required": ["title", "type"],
        "additionalProperties": False,
        "properties": {
            "authors": _TEXT,
            "year": {"type": "integer", "minimum": 1800, "maximum": 2100},
            "title": _TEXT,
            "journal": _TEXT,
            "doi": _TEXT,
            "pmid": {"type": "string", "pattern": r"^\d+$"},
            "url": _TEXT,
            "type": _enum(StudyType, "The kind of publication."),
            "level": {
                "type": "integer",
                "minimum": 1,
                "maximum": 5,
                "description": "Oxford CEBM 2011 level of evidence.",
            },
            "note": _TEXT,
            "participants": {
                "type": "integer",
                "minimum": 1,
                "description": "How many people the study included.",
            },
            "result": {**_TEXT, "description": "The study's main result, in one plain sentence."},
            "not_found": {
                "type": "array",
                "items": _enum(Gap, "Searched for and not found."),
                "description": "What was looked for and could not be found (year, identifier, "
                "original); validate then does not ask for it.",
            },
        },
        "anyOf": [{"required": ["doi"]}, {"required": ["pmid"]}, {"required": ["url"]}],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "foracli procedure file",
        "type": "object",
        "required": list(PROCEDURE_KEYS),
        "additionalProperties": False,
        "properties": {
            "id": _ID,
            "name": _TEXT,
            "aliases": {"type": "array", "items": _TEXT, "uniqueItems": True},
            "variants": {
                "type": "array",
                "items": _ID,
                "uniqueItems": True,
                "description": "Ids of the pages on each way of doing it.",
            },
            "approach": _enum(Approach, "How the surgeon reaches the nerve."),
            "regions": {
                "type": "array",
                "items": _enum(Region, "Part of the spine."),
                "uniqueItems": True,
            },
            "summary": _TEXT,
            "reviewed": _DATE,
            "next_review": _DATE,
            "sections": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    spec.key: {
                        "type": "array",
                        "minItems": 1,
                        "items": point,
                        "description": section_title(spec.key),
                    }
                    for spec in SECTIONS
                },
            },
            "aspects": {
                "type": "object",
                "additionalProperties": False,
                "properties": aspect_props,
            },
            "comparisons": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["with", "aspect", "finding", "text", "sources"],
                    "additionalProperties": False,
                    "properties": {
                        "with": _ID,
                        "aspect": {"enum": [spec.key for spec in ASPECTS]},
                        "finding": _enum(Finding, "Relative to this procedure."),
                        "text": _TEXT,
                        "sources": _SOURCES,
                        "certainty": certainty,
                        "region": region,
                    },
                },
            },
            "sources": {
                "type": "object",
                "description": "This file's own bibliography.",
                "propertyNames": _ID,
                "additionalProperties": source,
            },
        },
    }


ASKING_SCHEMA_ID = "https://foracli.invalid/schema/asking-1.json"


def asking_schema() -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) for a file of `asking:` entries (see kb.asking)."""
    phrases = {"type": "array", "items": _TEXT}
    group = {"type": "array", "items": _TEXT, "minItems": 2}

    def keyed(keys: list[str], what: str) -> dict[str, Any]:
        return {
            "type": "object",
            "description": what,
            "propertyNames": {"enum": keys},
            "additionalProperties": phrases,
        }

    topic = {
        "type": "object",
        "required": ["asks", "about", "ask"],
        "additionalProperties": False,
        "properties": {
            "asks": {**phrases, "description": "The ways patients ask it."},
            "about": {**_TEXT, "description": "Ends 'We found no good evidence on ...'."},
            "ask": {**_TEXT, "description": "The question to ask the surgeon instead."},
            "sources": _SOURCES,
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": ASKING_SCHEMA_ID,
        "title": "foracli asking file",
        "type": "object",
        "required": ["asking"],
        "additionalProperties": False,
        "properties": {
            "asking": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "aspects": keyed([a.key for a in ASPECTS], "Ways patients ask, per aspect."),
                    "sections": keyed([s.key for s in SECTIONS], "Ways patients ask, per section."),
                    "synonyms": {
                        "type": "array",
                        "items": group,
                        "description": "Words or phrases that mean the same, plain and medical.",
                    },
                    "names": {
                        "type": "object",
                        "description": "Everyday names of procedures: name -> procedure id.",
                        "additionalProperties": _ID,
                    },
                    "regions": keyed([r.value for r in Region], "Words naming each region."),
                    "topics": {
                        "type": "object",
                        "description": "Questions the pages have no good evidence on.",
                        "propertyNames": _ID,
                        "additionalProperties": topic,
                    },
                },
            }
        },
    }
