"""Load and validate the YAML knowledge base into the frozen model.

This is the only module that reads YAML. It walks PyYAML's node graph itself
(rather than `safe_load`) so that every problem carries a line and column, keys
are checked for duplicates and typos, and YAML's silent retyping (`no` -> False,
`1.10` -> 1.1) is caught instead of trusted.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from foracli.errors import KnowledgeBaseError, Problem
from foracli.model import (
    ASPECTS_BY_KEY,
    SECTION_KEYS,
    Approach,
    AspectValue,
    Certainty,
    Comparison,
    Finding,
    KnowledgeBase,
    Point,
    Procedure,
    Region,
    Section,
    Source,
    StudyType,
)
from foracli.text import clean_text

if TYPE_CHECKING:
    from yaml import Node

E = TypeVar("E", bound=Enum)


@dataclass(frozen=True)
class Reference:
    """An id that must resolve in another file, and where it was written."""

    kind: str
    target: str
    at: Problem


MAX_FILE_BYTES = 1024 * 1024  # far above any real procedure file (~30 KB)
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
STR_TAG = "tag:yaml.org,2002:str"
TAG_NAMES = {
    "tag:yaml.org,2002:bool": "a true/false value",
    "tag:yaml.org,2002:int": "a whole number",
    "tag:yaml.org,2002:float": "a decimal number",
    "tag:yaml.org,2002:null": "an empty value",
    "tag:yaml.org,2002:timestamp": "a date",
}


def shipped_data_dir() -> Path:
    """The knowledge base that ships with foracli.

    A built wheel carries it as package data (`foracli/data`); a source checkout
    or editable install finds the top-level `data/` beside the package.
    """
    packaged = Path(str(resources.files("foracli"))) / "data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "data"


def load_knowledge_base(data_dir: Path | None = None) -> KnowledgeBase:
    """Read, validate and cross-check every file of the knowledge base in *data_dir*.

    Raises `KnowledgeBaseError` listing every problem found.
    """
    root = data_dir or shipped_data_dir()
    problems: list[Problem] = []
    refs: list[Reference] = []
    sources: dict[str, Source] = {}
    procedures: dict[str, Procedure] = {}

    source_file = root / "sources.yaml"
    node = _read_node(source_file, problems)
    if node is not None:
        sources = _Reader(str(source_file), problems).sources(node)

    proc_dir = root / "procedures"
    for path in sorted(proc_dir.glob("*.yaml")):
        node = _read_node(path, problems)
        if node is None:
            continue
        reader = _Reader(str(path), problems)
        procedure = reader.procedure(node)
        refs.extend(reader.refs)
        if procedure is None:
            continue
        if procedure.id in procedures:
            other = procedures[procedure.id].path
            problems.append(
                Problem(str(path), 1, 1, f"procedure id '{procedure.id}' is also used in {other}")
            )
            continue
        procedures[procedure.id] = procedure

    kb = KnowledgeBase(procedures=procedures, sources=sources)
    problems.extend(_cross_check(kb, refs))
    if problems:
        raise KnowledgeBaseError(problems)
    return kb


def _read_node(path: Path, problems: list[Problem]) -> Node | None:
    """Parse one file into a YAML node, turning every failure into a Problem."""
    import yaml  # imported here: only a cold load pays for it

    where = str(path)

    def fail(message: str, line: int = 1, column: int = 1) -> None:
        problems.append(Problem(where, line, column, message))

    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        fail("no such file")
        return None
    except IsADirectoryError:
        fail("is a folder, not a YAML file")
        return None
    except OSError as error:
        fail(f"cannot read: {error.strerror or error}")
        return None
    if len(raw) > MAX_FILE_BYTES:
        fail(f"file is larger than {MAX_FILE_BYTES // 1024} KiB; refusing to read it")
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        fail("file starts with a byte-order mark; save it as UTF-8 without BOM")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        fail("file is not valid UTF-8", line, column)
        return None
    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        documents = list(yaml.compose_all(text, Loader=loader_cls))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = f"YAML syntax error: {error.problem or error.context}"
        if mark is not None:
            fail(message, mark.line + 1, mark.column + 1)
        else:
            fail(message)
        return None
    except yaml.YAMLError as error:
        fail(f"YAML error: {error}")
        return None
    except RecursionError:
        fail("YAML is nested too deeply")
        return None
    documents = [doc for doc in documents if doc is not None]
    if not documents:
        fail("file is empty")
        return None
    if len(documents) > 1:
        second = documents[1].start_mark
        fail("file holds several YAML documents; use one", second.line + 1, second.column + 1)
        return None
    return documents[0]


class _Reader:
    """Typed access to the nodes of one file, recording problems as it goes."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        self.refs: list[Reference] = []
        self._seen: set[int] = set()

    # -- primitives -------------------------------------------------------

    def problem(self, node: Node, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(self.path, mark.line + 1, mark.column + 1, message))

    def _visit(self, node: Node) -> bool:
        # An anchor reused through an alias is the same node object: refuse it,
        # which also defuses "billion laughs" expansion.
        if id(node) in self._seen:
            self.problem(node, "YAML aliases (*name) are not allowed; write the value out")
            return False
        self._seen.add(id(node))
        return True

    def mapping(
        self,
        node: Node,
        what: str,
        required: Iterable[str],
        optional: Iterable[str] = (),
        *,
        any_key: bool = False,
    ) -> dict[str, Node] | None:
        import yaml

        if not self._visit(node):
            return None
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must be a mapping of keys to values, not {_kind(node)}")
            return None
        required = tuple(required)
        allowed = set(required) | set(optional)
        result: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != STR_TAG:
                self.problem(key_node, f"keys in {what} must be plain words")
                continue
            key = key_node.value
            if key in result:
                self.problem(key_node, f"duplicate key '{key}' in {what}")
                continue
            if not any_key and key not in allowed:
                self.problem(key_node, f"unknown key '{key}' in {what}{_hint(key, allowed)}")
                continue
            result[key] = value_node
        for key in required:
            if key not in result:
                self.problem(node, f"{what} is missing '{key}'")
        return result

    def sequence(self, node: Node, what: str) -> list[Node] | None:
        import yaml

        if not self._visit(node):
            return None
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{what} must be a list, not {_kind(node)}")
            return None
        return list(node.value)

    def text(self, node: Node, what: str) -> str | None:
        import yaml

        if not self._visit(node):
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, f"{what} must be text, not {_kind(node)}")
            return None
        if node.tag != STR_TAG:
            found = TAG_NAMES.get(node.tag)
            if found is None:
                self.problem(node, f"{what}: YAML tag '{node.tag}' is not allowed")
            else:
                self.problem(node, f"{what} must be text, but YAML reads {found}; put it in quotes")
            return None
        value = clean_text(node.value)
        if not value:
            self.problem(node, f"{what} is empty")
            return None
        return value

    def text_list(self, node: Node, what: str) -> tuple[str, ...]:
        items = self.sequence(node, what) or []
        return tuple(t for item in items if (t := self.text(item, f"an item of {what}")))

    def number(self, node: Node, what: str) -> float | None:
        import yaml

        if not self._visit(node):
            return None
        if not isinstance(node, yaml.ScalarNode) or node.tag not in (
            "tag:yaml.org,2002:int",
            "tag:yaml.org,2002:float",
        ):
            self.problem(node, f"{what} must be a number")
            return None
        try:
            value = float(node.value.replace("_", ""))
        except ValueError:
            self.problem(node, f"{what} must be a plain decimal number")
            return None
        if value != value or value in (float("inf"), float("-inf")) or value < 0:
            self.problem(node, f"{what} must be a finite number, zero or more")
            return None
        return value

    def integer(self, node: Node, what: str, low: int, high: int) -> int | None:
        value = self.number(node, what)
        if value is None:
            return None
        if value != int(value) or not low <= value <= high:
            self.problem(node, f"{what} must be a whole number from {low} to {high}")
            return None
        return int(value)

    def date(self, node: Node, what: str) -> dt.date | None:
        import yaml

        if not self._visit(node):
            return None
        if isinstance(node, yaml.ScalarNode) and node.tag in (
            STR_TAG,
            "tag:yaml.org,2002:timestamp",
        ):
            try:
                return dt.date.fromisoformat(node.value.strip())
            except ValueError:
                pass
        self.problem(node, f"{what} must be a date written YYYY-MM-DD")
        return None

    def choice(self, node: Node, enum: type[E], what: str) -> E | None:
        value = self.text(node, what)
        if value is None:
            return None
        try:
            return enum(value)
        except ValueError:
            names = [str(member.value) for member in enum]
            self.problem(node, f"{what} '{value}' is not one of: {', '.join(names)}")
            return None

    def ident(self, node: Node, what: str) -> str | None:
        value = self.text(node, what)
        if value is not None and not ID_PATTERN.match(value):
            self.problem(node, f"{what} '{value}' must be lowercase words joined by hyphens")
            return None
        return value

    def ids(self, node: Node, what: str) -> tuple[str, ...]:
        """Source ids; each is remembered so the cross-check can point at it."""
        items = self.sequence(node, what) or []
        found = []
        for item in items:
            sid = self.ident(item, f"an id in {what}")
            if sid:
                found.append(sid)
                self.refs.append(self.reference("source", sid, item))
        if len(set(found)) != len(found):
            self.problem(node, f"{what} lists the same id twice")
        return tuple(found)

    def reference(self, kind: str, target: str, node: Node) -> Reference:
        mark = node.start_mark
        return Reference(kind, target, Problem(self.path, mark.line + 1, mark.column + 1, ""))

    # -- documents --------------------------------------------------------

    def sources(self, node: Node) -> dict[str, Source]:
        top = self.mapping(node, "the sources file", ["sources"])
        if not top:
            return {}
        entries = self.mapping(top["sources"], "sources", [], any_key=True)
        result: dict[str, Source] = {}
        if not entries:
            return result
        for key, value in entries.items():
            if not ID_PATTERN.match(key):
                self.problem(value, f"source id '{key}' must be lowercase words joined by hyphens")
                continue
            source = self.source(key, value)
            if source is not None:
                result[key] = source
        return result

    def source(self, sid: str, node: Node) -> Source | None:
        fields = self.mapping(
            node,
            f"source '{sid}'",
            ["title", "type"],
            ["authors", "year", "journal", "doi", "pmid", "url", "level", "note"],
        )
        if fields is None:
            return None
        text = self._optional_text(fields, f"source '{sid}'")
        title = self.text(fields["title"], "title") if "title" in fields else None
        kind = self.choice(fields["type"], StudyType, "type") if "type" in fields else None
        if not any(k in fields for k in ("doi", "pmid", "url")):
            self.problem(node, f"source '{sid}' needs a doi, pmid or url")
        year = self.integer(fields["year"], "year", 1800, 2100) if "year" in fields else None
        level = self.integer(fields["level"], "level", 1, 5) if "level" in fields else None
        authors, journal, note = text("authors"), text("journal"), text("note")
        doi, pmid, url = text("doi"), text("pmid"), text("url")
        if title is None or kind is None:
            return None
        return Source(
            id=sid,
            title=title,
            type=kind,
            authors=authors,
            year=year,
            journal=journal,
            doi=doi,
            pmid=pmid,
            url=url,
            level=level,
            note=note,
        )

    def procedure(self, node: Node) -> Procedure | None:
        fields = self.mapping(
            node,
            "a procedure",
            ["id", "name", "summary", "approach", "regions", "reviewed", "next_review", "sections"],
            ["aliases", "aspects", "comparisons"],
        )
        if fields is None:
            return None
        before = len(self.problems)
        pid = self.ident(fields["id"], "id") if "id" in fields else None
        name = self.text(fields["name"], "name") if "name" in fields else None
        summary = self.text(fields["summary"], "summary") if "summary" in fields else None
        approach = (
            self.choice(fields["approach"], Approach, "approach") if "approach" in fields else None
        )
        regions = self._regions(fields.get("regions"))
        reviewed = self.date(fields["reviewed"], "reviewed") if "reviewed" in fields else None
        next_review = (
            self.date(fields["next_review"], "next_review") if "next_review" in fields else None
        )
        if reviewed and next_review and next_review <= reviewed:
            self.problem(fields["next_review"], "next_review must come after reviewed")
        aliases = self.text_list(fields["aliases"], "aliases") if "aliases" in fields else ()
        sections = self._sections(fields["sections"]) if "sections" in fields else ()
        aspects = self._aspects(fields["aspects"]) if "aspects" in fields else {}
        comparisons = self._comparisons(fields["comparisons"]) if "comparisons" in fields else ()
        if (
            pid is None
            or name is None
            or summary is None
            or approach is None
            or reviewed is None
            or next_review is None
            or len(self.problems) > before
        ):
            return None
        return Procedure(
            id=pid,
            name=name,
            aliases=aliases,
            approach=approach,
            regions=regions,
            summary=summary,
            reviewed=reviewed,
            next_review=next_review,
            sections=sections,
            aspects=aspects,
            comparisons=comparisons,
            path=self.path,
        )

    # -- parts of a procedure ---------------------------------------------

    def _optional_text(self, fields: dict[str, Node], what: str) -> Callable[[str], str | None]:
        def get(key: str) -> str | None:
            node = fields.get(key)
            return self.text(node, f"{key} of {what}") if node is not None else None

        return get

    def _regions(self, node: Node | None) -> tuple[Region, ...]:
        if node is None:
            return ()
        items = self.sequence(node, "regions") or []
        return tuple(r for item in items if (r := self.choice(item, Region, "region")))

    def _sections(self, node: Node) -> tuple[Section, ...]:
        fields = self.mapping(node, "sections", [], SECTION_KEYS)
        if not fields:
            return ()
        sections = []
        for key in SECTION_KEYS:  # fixed order, whatever the file's order
            if key not in fields:
                continue
            items = self.sequence(fields[key], f"section '{key}'") or []
            if not items:
                self.problem(fields[key], f"section '{key}' has no points")
            points = tuple(p for item in items if (p := self._point(item, key)))
            sections.append(Section(key=key, points=points))
        return tuple(sections)

    def _point(self, node: Node, section: str) -> Point | None:
        import yaml

        needs_evidence = section in ("benefits", "risks")
        if isinstance(node, yaml.ScalarNode):
            text = self.text(node, f"a point in '{section}'")
            if text is None:
                return None
            if needs_evidence:
                self.problem(node, f"every point in '{section}' needs sources and certainty")
            elif _has_number(text):
                self.problem(node, f"a point with a number needs sources (in '{section}')")
            return Point(text=text)
        fields = self.mapping(
            node, f"a point in '{section}'", ["text"], ["label", "sources", "certainty"]
        )
        if fields is None or "text" not in fields:
            return None
        text = self.text(fields["text"], "text")
        label = self.text(fields["label"], "label") if "label" in fields else None
        sources = self.ids(fields["sources"], "sources") if "sources" in fields else ()
        certainty = (
            self.choice(fields["certainty"], Certainty, "certainty")
            if "certainty" in fields
            else None
        )
        if text is None:
            return None
        if needs_evidence and (not sources or certainty is None):
            self.problem(node, f"every point in '{section}' needs sources and certainty")
        elif not sources and (_has_number(text) or (label and _has_number(label))):
            self.problem(node, f"a point with a number needs sources (in '{section}')")
        return Point(text=text, label=label, sources=sources, certainty=certainty)

    def _aspects(self, node: Node) -> dict[str, AspectValue]:
        fields = self.mapping(node, "aspects", [], ASPECTS_BY_KEY)
        if not fields:
            return {}
        result = {}
        for key, value in fields.items():
            aspect = self._aspect(key, value)
            if aspect is not None:
                result[key] = aspect
        return result

    def _aspect(self, key: str, node: Node) -> AspectValue | None:
        spec = ASPECTS_BY_KEY[key]
        numeric = ("low", "high", "unit") if spec.unit else ()
        fields = self.mapping(
            node, f"aspect '{key}'", ["sources"], (*numeric, "text", "note", "certainty")
        )
        if fields is None:
            return None
        text = self._optional_text(fields, f"aspect '{key}'")
        low = self.number(fields["low"], "low") if "low" in fields else None
        high = self.number(fields["high"], "high") if "high" in fields else None
        unit = self.text(fields["unit"], "unit") if "unit" in fields else None
        if spec.unit:
            if low is None and "text" not in fields:
                self.problem(node, f"aspect '{key}' needs 'low' (and 'high') or 'text'")
            if "high" in fields and "low" not in fields:
                self.problem(fields["high"], f"aspect '{key}' has 'high' without 'low'")
            if low is not None and unit != spec.unit:
                where = fields.get("unit", node)
                self.problem(where, f"aspect '{key}' must use the unit '{spec.unit}'")
            if low is not None and high is not None and high < low:
                self.problem(fields["high"], f"aspect '{key}': high is below low")
        elif "text" not in fields:
            self.problem(node, f"aspect '{key}' needs 'text'")
        certainty = (
            self.choice(fields["certainty"], Certainty, "certainty")
            if "certainty" in fields
            else None
        )
        sources = self.ids(fields["sources"], "sources") if "sources" in fields else ()
        if "sources" in fields and not sources:
            self.problem(fields["sources"], f"aspect '{key}' needs at least one source")
        return AspectValue(
            key=key,
            sources=sources,
            low=low,
            high=high,
            unit=unit,
            text=text("text"),
            note=text("note"),
            certainty=certainty,
        )

    def _comparisons(self, node: Node) -> tuple[Comparison, ...]:
        result = []
        for item in self.sequence(node, "comparisons") or []:
            fields = self.mapping(
                item,
                "a comparison",
                ["with", "aspect", "finding", "text", "sources"],
                ["certainty"],
            )
            if fields is None or len(fields) < 5 - ("certainty" in fields):
                continue
            other = self.ident(fields["with"], "with")
            if other:
                self.refs.append(self.reference("procedure", other, fields["with"]))
            aspect = self.text(fields["aspect"], "aspect")
            if aspect is not None and aspect not in ASPECTS_BY_KEY:
                hint = _hint(aspect, ASPECTS_BY_KEY)
                self.problem(fields["aspect"], f"unknown aspect '{aspect}'{hint}")
                aspect = None
            finding = self.choice(fields["finding"], Finding, "finding")
            text = self.text(fields["text"], "text")
            sources = self.ids(fields["sources"], "sources")
            certainty = (
                self.choice(fields["certainty"], Certainty, "certainty")
                if "certainty" in fields
                else None
            )
            if not sources:
                self.problem(item, "a comparison needs at least one source")
            if other and aspect and finding and text and sources:
                result.append(Comparison(other, aspect, finding, text, sources, certainty))
        return tuple(result)


def _cross_check(kb: KnowledgeBase, refs: list[Reference]) -> list[Problem]:
    """Checks that span files: every cited source and compared procedure exists."""
    problems = []
    for ref in refs:
        known: Mapping[str, object] = kb.sources if ref.kind == "source" else kb.procedures
        if ref.target not in known:
            where = f"{ref.kind} '{ref.target}' does not exist"
            if ref.kind == "source":
                where = f"source '{ref.target}' is not in sources.yaml"
            at = ref.at
            problems.append(Problem(at.path, at.line, at.column, where + _hint(ref.target, known)))
    return problems


def _kind(node: Node) -> str:
    import yaml

    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return "a single value"


def _hint(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _has_number(text: str) -> bool:
    return any(ch.isdigit() for ch in text)
