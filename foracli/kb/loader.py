"""Load and validate the YAML knowledge base into the frozen model.

The only module that turns YAML into procedures and sources. It validates once,
collecting every problem with its `path:line:col`, and merges layers: the
shipped knowledge base first, then each user path over it, by id.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from foracli.core.errors import KnowledgeBaseError, Problem
from foracli.core.model import (
    ASPECTS_BY_KEY,
    PROCEDURE_KEYS,
    PROCEDURE_OPTIONAL_KEYS,
    SECTION_KEYS,
    Approach,
    Asking,
    AspectValue,
    Certainty,
    Comparison,
    Finding,
    Gap,
    KnowledgeBase,
    Point,
    Procedure,
    Region,
    Section,
    Source,
    StudyType,
    Term,
)
from foracli.core.record import field, record, replace
from foracli.core.text import clean_text, normalise_name, shown
from foracli.kb import files
from foracli.kb.asking import merge_asking, read_asking
from foracli.kb.files import layers_for
from foracli.kb.yamlread import ID_PATTERN, NodeReader, Reference, hint, read_node

if TYPE_CHECKING:
    from yaml import Node

    from foracli.kb.files import StrPath

YAML_SUFFIXES = files.SUFFIXES


def shipped_data_dir() -> Path:
    """The knowledge base that ships with foracli (see files.shipped_dir)."""
    return Path(files.shipped_dir())


def load_knowledge_base(
    paths: Sequence[StrPath] = (), *, include_shipped: bool = True
) -> KnowledgeBase:
    """The shipped knowledge base with each of *paths* (a file or folder) merged over it.

    A user procedure or source with the id of an earlier one replaces it; new ids
    are added. Raises `KnowledgeBaseError` listing every problem found.
    """
    return read_layers(layers_for(paths, include_shipped=include_shipped)).kb


@record
class Loaded:
    """What a load read: the knowledge base, its layers and every file it read."""

    kb: KnowledgeBase
    layers: tuple[Path, ...]
    files: tuple[Path, ...]


def read_layers(given: Sequence[StrPath], reuse: Reuse | None = None) -> Loaded:
    """Read and merge the layers *given* in order; with *reuse*, files an earlier run
    parsed and whose stamp still matches are not parsed again (a cache supplies them)."""
    layers = [Path(p) for p in given]
    reuse = reuse or Reuse({}, {})
    problems: list[Problem] = []
    merged = _Layer()
    read: list[Path] = []
    for number, root in enumerate(layers):
        layer = _read_layer(root, problems, reuse, read)
        merged.procedures.update(
            {pid: replace(proc, layer=number) for pid, proc in layer.procedures.items()}
        )
        merged.sources.update(layer.sources)
        merged.glossary.update(layer.glossary)
        merged.asking.extend(layer.asking)
        merged.refs.extend(layer.refs)
    asking = merge_asking(merged.asking)
    kb = KnowledgeBase(merged.procedures, merged.sources, merged.glossary, asking=asking)
    problems.extend(_cross_check(kb, merged.refs))
    problems.extend(_alias_clashes(kb))
    if problems:
        raise KnowledgeBaseError(problems)
    return Loaded(kb, tuple(layers), tuple(read))


@record
class _Document:
    """What one file holds."""

    procedure: Procedure | None = None
    sources: dict[str, Source] = field(default_factory=dict)
    terms: dict[str, Term] = field(default_factory=dict)
    asking: Asking | None = None


@record(frozen=False)
class _Layer:
    """What one path contributes: its procedures, sources and cross-file references."""

    procedures: dict[str, Procedure] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    glossary: dict[str, Term] = field(default_factory=dict)
    asking: list[Asking] = field(default_factory=list)
    refs: list[Reference] = field(default_factory=list)
    where: dict[str, str] = field(default_factory=dict)


def yaml_files(root: Path) -> list[Path]:
    """*root* itself if it is a file, else every YAML file below it (see files.yaml_files)."""
    return [Path(p) for p in files.yaml_files(str(root))]


# One file's signature (None: not to be kept), its contents, its cross-file
# references and where its top mapping starts (line, column).
# The stamp is whatever the cache uses to tell a file's versions apart; opaque here.
Parsed = tuple[object | None, _Document, list[Reference], tuple[int, int]]


@record
class Reuse:
    """Parsed files from an earlier run, today's stamps of the files safe to reuse or
    keep (by absolute path), and where this run collects what the next one may reuse.
    Parsed files are keyed by the path as given, which the model keeps."""

    earlier: Mapping[str, Parsed]
    stamps: Mapping[str, object]
    parsed: dict[str, Parsed] = field(default_factory=dict)

    def read(self, path: Path, problems: list[Problem]) -> Parsed | None:
        """*path*'s contents, from the earlier run when its signature still matches."""
        given = str(path)
        signature = self.stamps.get(os.path.abspath(path))
        found = self.earlier.get(given)
        if found is None or signature is None or found[0] != signature:
            before = len(problems)
            node = read_node(path, problems)
            if node is None:
                return None
            reader = _DocumentReader(given, problems)
            document = reader.document(node)
            mark = (node.start_mark.line + 1, node.start_mark.column + 1)
            clean = len(problems) == before  # only problem-free files are kept
            found = (signature if clean else None, document, reader.refs, mark)
        if found[0] is not None:
            self.parsed[given] = found
        return found


def _read_layer(root: Path, problems: list[Problem], reuse: Reuse, read: list[Path]) -> _Layer:
    layer = _Layer()
    for path in yaml_files(root):
        read.append(path)
        found = reuse.read(path, problems)
        if found is None:
            continue
        _signature, document, refs, (line, column) = found

        def problem(
            message: str, where: str = str(path), at: tuple[int, int] = (line, column)
        ) -> None:
            problems.append(Problem(where, *at, clean_text(message)))

        procedure = document.procedure
        layer.refs.extend(refs)
        for sid, source in document.sources.items():
            if sid in layer.sources:
                problem(f"source id '{sid}' is also used in {layer.where[sid]}")
                continue
            layer.sources[sid] = source
            layer.where[sid] = str(path)
        for key, term in document.terms.items():
            if key in layer.glossary:
                problem(f"glossary term '{key}' is defined twice")
                continue
            layer.glossary[key] = term
        if document.asking is not None:
            layer.asking.append(document.asking)
        if procedure is None:
            continue
        if procedure.id in layer.procedures:
            other = layer.procedures[procedure.id].path
            problem(f"procedure id '{procedure.id}' is also used in {other}")
            continue
        layer.procedures[procedure.id] = procedure
    return layer


class _DocumentReader(NodeReader):
    """Builds the model from the nodes of one knowledge-base file."""

    page_regions: tuple[Region, ...] = ()  # the regions of the procedure being read

    # -- documents --------------------------------------------------------

    def document(self, node: Node) -> _Document:
        """A procedure file (which may carry its own sources), or a sources/glossary file."""
        import yaml

        if not isinstance(node, yaml.MappingNode):
            self.mapping(node, "a knowledge-base file", [])
            return _Document()
        keys = {k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
        if keys & set(PROCEDURE_KEYS):
            return _Document(*self.procedure(node))
        top = self.mapping(
            node, "a sources, glossary or asking file", [], ["sources", "glossary", "asking"]
        )
        if top is None:
            return _Document()
        if not top:
            self.problem(
                node,
                "a knowledge-base file needs 'id' (a procedure), 'sources', 'glossary' or 'asking'",
            )
        sources = self.bibliography(top["sources"]) if "sources" in top else {}
        terms = self.glossary(top["glossary"]) if "glossary" in top else {}
        asking = read_asking(self, top["asking"]) if "asking" in top else None
        return _Document(None, sources, terms, asking)

    def glossary(self, node: Node) -> dict[str, Term]:
        """The entries of a `glossary:` mapping, keyed by term."""
        entries = self.mapping(node, "glossary", [], any_key=True)
        result: dict[str, Term] = {}
        for key, value in (entries or {}).items():
            if not ID_PATTERN.fullmatch(key):
                message = f"term key '{shown(key)}' must be lowercase words joined by hyphens"
                self.problem(value, message)
                continue
            fields = self.mapping(
                value, f"term '{key}'", ["definition"], ["term", "aliases", "sources"]
            )
            if fields is None or "definition" not in fields:
                continue
            definition = self.text(fields["definition"], "definition")
            term = self.text(fields["term"], "term") if "term" in fields else key
            aliases = self.text_list(fields["aliases"], "aliases") if "aliases" in fields else ()
            sources = self.ids(fields["sources"], "sources") if "sources" in fields else ()
            if definition and term:
                result[key] = Term(key, term, definition, aliases, sources)
        return result

    def bibliography(self, node: Node) -> dict[str, Source]:
        """The entries of a `sources:` mapping, keyed by id."""
        entries = self.mapping(node, "sources", [], any_key=True)
        result: dict[str, Source] = {}
        for key, value in (entries or {}).items():
            if not ID_PATTERN.fullmatch(key):
                message = f"source id '{shown(key)}' must be lowercase words joined by hyphens"
                self.problem(value, message)
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
            [
                "authors",
                "year",
                "journal",
                "doi",
                "pmid",
                "url",
                "level",
                "note",
                "participants",
                "result",
                "not_found",
            ],
        )
        if fields is None:
            return None
        text = self._optional_text(fields, f"source '{sid}'")
        gaps: tuple[Gap, ...] = ()
        if "not_found" in fields:
            items = self.sequence(fields["not_found"], "not_found") or []
            gaps = tuple(g for item in items if (g := self.choice(item, Gap, "not_found")))
        title = self.text(fields["title"], "title") if "title" in fields else None
        kind = self.choice(fields["type"], StudyType, "type") if "type" in fields else None
        if not any(k in fields for k in ("doi", "pmid", "url")):
            self.problem(node, f"source '{sid}' needs a doi, pmid or url")
        year = self.integer(fields["year"], "year", 1800, 2100) if "year" in fields else None
        level = self.integer(fields["level"], "level", 1, 5) if "level" in fields else None
        authors, journal, note = text("authors"), text("journal"), text("note")
        participants = (
            self.integer(fields["participants"], "participants", 1, 10_000_000)
            if "participants" in fields
            else None
        )
        result = text("result")
        doi, pmid, url = text("doi"), text("pmid"), text("url")
        if title is None or kind is None:
            return None
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
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
            participants=participants,
            result=result,
            not_found=gaps,
            path=self.path,
            line=line,
            column=column,
        )

    def procedure(self, node: Node) -> tuple[Procedure | None, dict[str, Source]]:
        fields = self.mapping(
            node,
            "a procedure",
            PROCEDURE_KEYS,
            PROCEDURE_OPTIONAL_KEYS,
        )
        if fields is None:
            return None, {}
        sources = self.bibliography(fields["sources"]) if "sources" in fields else {}
        before = len(self.problems)
        pid = self.ident(fields["id"], "id") if "id" in fields else None
        name = self.text(fields["name"], "name") if "name" in fields else None
        summary = self.text(fields["summary"], "summary") if "summary" in fields else None
        approach = (
            self.choice(fields["approach"], Approach, "approach") if "approach" in fields else None
        )
        regions = self._regions(fields.get("regions"))
        self.page_regions = regions
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
        variants = self._variants(fields["variants"]) if "variants" in fields else ()
        if (
            pid is None
            or name is None
            or summary is None
            or approach is None
            or reviewed is None
            or next_review is None
            or len(self.problems) > before
        ):
            return None, sources
        procedure = Procedure(
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
            variants=variants,
            path=self.path,
            next_review_at=(
                fields["next_review"].start_mark.line + 1,
                fields["next_review"].start_mark.column + 1,
            ),
        )
        return procedure, sources

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

    def _region(self, node: Node | None) -> Region | None:
        """A point's or value's own region: one the page covers, or a problem."""
        if node is None:
            return None
        region = self.choice(node, Region, "region")
        if region is not None and self.page_regions and region not in self.page_regions:
            covered = ", ".join(self.page_regions)
            self.problem(node, f"region '{region}' is not one this page covers ({covered})")
        return region

    def _sections(self, node: Node) -> tuple[Section, ...]:
        fields = self.mapping(node, "sections", [], SECTION_KEYS)
        if fields is not None and not getattr(node, "value", True):
            self.problem(node, "sections is empty; a procedure needs at least one section")
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
            node,
            f"a point in '{section}'",
            ["text"],
            ["label", "sources", "certainty", "region", "short", "timeframe"],
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
        region = self._region(fields.get("region"))
        short = self.text(fields["short"], "short") if "short" in fields else None
        if short is not None and len(short) > SHORT_LIMIT:
            self.problem(
                fields["short"], f"short is {len(short)} characters; keep it to {SHORT_LIMIT}"
            )
        timeframe = self.text(fields["timeframe"], "timeframe") if "timeframe" in fields else None
        return Point(text, label, sources, certainty, region, short, timeframe)

    def _aspects(self, node: Node) -> dict[str, tuple[AspectValue, ...]]:
        fields = self.mapping(node, "aspects", [], ASPECTS_BY_KEY)
        if not fields:
            return {}
        import yaml

        result = {}
        for key, value in fields.items():
            if isinstance(value, yaml.SequenceNode):
                values = self._regional(key, value)
            else:
                aspect = self._aspect(key, value)
                values = (aspect,) if aspect is not None else ()
            if values:
                result[key] = values
        return result

    def _regional(self, key: str, node: Node) -> tuple[AspectValue, ...]:
        """An aspect given as a list: one value per region, each tagged with its region."""
        items = self.sequence(node, f"aspect '{key}'")
        if items is None:
            return ()
        if not items:
            self.problem(node, f"aspect '{key}' needs at least one value")
        found: dict[Region, AspectValue] = {}
        for item in items:
            value = self._aspect(key, item)
            if value is None:
                continue
            if value.region is None:
                self.problem(item, f"each value in the list of aspect '{key}' needs a 'region'")
            elif value.region in found:
                where = next(n for k, n in item.value if k.value == "region")
                message = f"aspect '{key}' has a second value for region '{value.region}'"
                self.problem(where, message)
            else:
                found[value.region] = value
        return tuple(found.values())

    def _aspect(self, key: str, node: Node) -> AspectValue | None:
        spec = ASPECTS_BY_KEY[key]
        numeric = ("low", "high", "unit") if spec.unit else ()
        fields = self.mapping(
            node,
            f"aspect '{key}'",
            ["sources"],
            (*numeric, "text", "note", "certainty", "region", "basis", "timeframe", "short"),
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
            region=self._region(fields.get("region")),
            basis=text("basis"),
            timeframe=text("timeframe"),
            short=self._short(fields),
        )

    def _short(self, fields: dict[str, Node]) -> str | None:
        short = self.text(fields["short"], "short") if "short" in fields else None
        if short is not None and len(short) > SHORT_LIMIT:
            self.problem(
                fields["short"], f"short is {len(short)} characters; keep it to {SHORT_LIMIT}"
            )
        return short

    def _variants(self, node: Node) -> tuple[str, ...]:
        found = []
        for item in self.sequence(node, "variants") or []:
            pid = self.ident(item, "a variant")
            if pid:
                self.refs.append(self.reference("procedure", pid, item))
                found.append(pid)
        return tuple(found)

    def _comparisons(self, node: Node) -> tuple[Comparison, ...]:
        result = []
        for item in self.sequence(node, "comparisons") or []:
            required = ("with", "aspect", "finding", "text", "sources")
            fields = self.mapping(item, "a comparison", required, ["certainty", "region"])
            if fields is None or not set(required) <= fields.keys():
                continue
            other = self.ident(fields["with"], "with")
            if other:
                self.refs.append(self.reference("procedure", other, fields["with"]))
            aspect = self.text(fields["aspect"], "aspect")
            if aspect is not None and aspect not in ASPECTS_BY_KEY:
                close = hint(aspect, ASPECTS_BY_KEY)
                self.problem(fields["aspect"], f"unknown aspect '{shown(aspect)}'{close}")
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
                region = self._region(fields.get("region"))
                result.append(Comparison(other, aspect, finding, text, sources, certainty, region))
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
            problems.append(Problem(at.path, at.line, at.column, where + hint(ref.target, known)))
    return problems


def _alias_clashes(kb: KnowledgeBase) -> list[Problem]:
    """Two procedures of one layer may not answer to the same name: lookups never guess.

    Across layers the later one wins the name, as it wins an id (query.procedure_names).
    """
    owner: dict[tuple[int, str], str] = {}
    problems = []
    for proc in kb.procedures.values():
        for name in dict.fromkeys(normalise_name(n) for n in (proc.id, proc.name, *proc.aliases)):
            other = owner.setdefault((proc.layer, name), proc.id)
            if other != proc.id:
                problems.append(
                    Problem(proc.path, 1, 1, f"name '{name}' also belongs to procedure '{other}'")
                )
    return problems


SHORT_LIMIT = 76  # one line at 80 columns, after a bullet and a panel's border


def _has_number(text: str) -> bool:
    return any(ch.isdigit() for ch in text)
