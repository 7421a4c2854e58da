"""The `asking:` part of a knowledge-base file: how patients ask, read and validated.

    asking:
      aspects:   {incision: [how big is the cut, ...], ...}     # ways patients ask, per aspect
      sections:  {recovery: [when can I drive, ...], ...}       # ... and per section
      synonyms:  [[another operation, reoperation, revision], ...]  # words that mean the same
      names:     {keyhole: endoscopic-foraminotomy}             # everyday names of procedures
      regions:   {cervical: [neck], lumbar: [low back]}         # words naming a region
      topics:    {flying: {asks: [...], about: ..., ask: ..., sources: [...]}}

Every layer may add to it: lists are extended, names and topics replaced by key.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from foracli.core.model import ASPECT_KEYS, SECTION_KEYS, Asking, Region, Topic
from foracli.kb.yamlread import ID_PATTERN, NodeReader

if TYPE_CHECKING:
    from yaml import Node

KEYS = ("aspects", "sections", "synonyms", "names", "regions", "topics")
TOPIC_KEYS = ("asks", "about", "ask")


def read_asking(reader: NodeReader, node: Node) -> Asking:
    """The asking entries of *node*; problems go to *reader*."""
    fields = reader.mapping(node, "asking", [], KEYS) or {}
    places: dict[str, tuple[str, ...]] = {}
    for part, keys in (("aspects", ASPECT_KEYS), ("sections", SECTION_KEYS)):
        if part in fields:
            entries = reader.mapping(fields[part], f"asking {part}", [], keys) or {}
            for key, value in entries.items():
                places[key] = reader.text_list(value, f"the ways to ask for '{key}'")
    synonyms: list[tuple[str, ...]] = []
    groups = reader.sequence(fields["synonyms"], "synonyms") if "synonyms" in fields else None
    for item in groups or []:
        group = reader.text_list(item, "a synonym group")
        if len(group) == 1:
            reader.problem(item, "a synonym group needs at least two words or phrases")
        if len(group) > 1:
            synonyms.append(group)
    names: dict[str, str] = {}
    if "names" in fields:
        for name, value in (
            reader.mapping(fields["names"], "names", [], any_key=True) or {}
        ).items():
            pid = reader.ident(value, f"the procedure '{name}' names")
            if pid:
                names[name] = pid
                reader.refs.append(reader.reference("procedure", pid, value))
    regions: dict[Region, tuple[str, ...]] = {}
    if "regions" in fields:
        allowed = [r.value for r in Region]
        entries = reader.mapping(fields["regions"], "asking regions", [], allowed) or {}
        for key, value in entries.items():
            regions[Region(key)] = reader.text_list(value, f"the words for '{key}'")
    topics = _topics(reader, fields["topics"]) if "topics" in fields else {}
    return Asking(places, tuple(synonyms), names, regions, topics)


def _topics(reader: NodeReader, node: Node) -> dict[str, Topic]:
    found: dict[str, Topic] = {}
    for key, value in (reader.mapping(node, "topics", [], any_key=True) or {}).items():
        if not ID_PATTERN.fullmatch(key):
            reader.problem(value, f"topic key '{key}' must be lowercase words joined by hyphens")
            continue
        fields = reader.mapping(value, f"topic '{key}'", TOPIC_KEYS, ["sources"])
        if fields is None or any(k not in fields for k in TOPIC_KEYS):
            continue
        asks = reader.text_list(fields["asks"], f"asks of topic '{key}'")
        about = reader.text(fields["about"], f"about of topic '{key}'")
        ask = reader.text(fields["ask"], f"ask of topic '{key}'")
        sources = reader.ids(fields["sources"], "sources") if "sources" in fields else ()
        if asks and about and ask:
            found[key] = Topic(key, asks, about, ask, sources)
    return found


def merge_asking(parts: Iterable[Asking]) -> Asking:
    """*parts* in order, later ones adding to earlier ones (see the module docstring)."""
    places: dict[str, tuple[str, ...]] = {}
    synonyms: list[tuple[str, ...]] = []
    names: dict[str, str] = {}
    regions: dict[Region, tuple[str, ...]] = {}
    topics: dict[str, Topic] = {}
    for part in parts:
        for key, asks in part.places.items():
            places[key] = places.get(key, ()) + asks
        synonyms.extend(part.synonyms)
        names.update(part.names)
        for region, words in part.regions.items():
            regions[region] = regions.get(region, ()) + words
        topics.update(part.topics)
    return Asking(places, tuple(synonyms), names, regions, topics)
