"""Reading YAML into nodes, and typed access to them with located problems.

PyYAML's node graph keeps the line and column of every value, so each problem
can say `path:line:col`. Reading nodes (not `safe_load` output) also lets us
refuse duplicate keys, aliases, tags and YAML's silent retyping (`no` -> False).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import stat
from collections.abc import Callable, Iterable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from foracli.core.errors import Problem
from foracli.core.record import record
from foracli.core.text import clean_text, shown
from foracli.kb.files import reason

if TYPE_CHECKING:
    from yaml import Node

E = TypeVar("E", bound=Enum)

MAX_FILE_BYTES = 1024 * 1024  # far above any real procedure file (~30 KB)
MAX_DEPTH = 20  # a procedure file nests 5 levels; anything deeper is not ours
PLAIN_TAGS = {"!"} | {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}
ALIAS_MESSAGE = "YAML aliases (*name) are not allowed; write the value out"
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # use fullmatch ("$" allows "\n")
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
STR_TAG = "tag:yaml.org,2002:str"
TAG_NAMES = {
    "tag:yaml.org,2002:bool": "a true/false value",
    "tag:yaml.org,2002:int": "a whole number",
    "tag:yaml.org,2002:float": "a decimal number",
    "tag:yaml.org,2002:null": "an empty value",
    "tag:yaml.org,2002:timestamp": "a date",
}


@record
class Reference:
    """An id that must resolve in another file, and where it was written."""

    kind: str
    target: str
    at: Problem


def read_node(path: Path, problems: list[Problem]) -> Node | None:
    """Parse one file into a YAML node, turning every failure into a Problem."""
    where = str(path)

    def fail(message: str, line: int = 1, column: int = 1) -> None:
        # One line: PyYAML's words may quote the very character it refused.
        problems.append(Problem(where, line, column, shown(message, 400)))

    raw = _read_bytes(path, fail)
    if raw is None:
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
    return _compose(text, fail)


def _read_bytes(path: Path, fail: Callable[..., None]) -> bytes | None:
    # stat first: opening a FIFO or a device would block or never end.
    try:
        info = path.stat()
    except FileNotFoundError:
        fail("no such file")
        return None
    except OSError as error:
        fail(f"cannot read: {reason(error)}")
        return None
    if stat.S_ISDIR(info.st_mode):
        fail("is a folder, not a YAML file")
        return None
    if not stat.S_ISREG(info.st_mode):
        fail("is not a regular file")
        return None
    if info.st_size > MAX_FILE_BYTES:
        fail(f"file is larger than {MAX_FILE_BYTES // 1024} KiB; refusing to read it")
        return None
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        fail(f"cannot read: {reason(error)}")
        return None
    if len(raw) > MAX_FILE_BYTES:  # grew after stat
        fail(f"file is larger than {MAX_FILE_BYTES // 1024} KiB; refusing to read it")
        return None
    return raw


def _compose(text: str, fail: Callable[..., None]) -> Node | None:
    import yaml  # imported here: only a cold load pays for it

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        # A streaming pass first: refuses aliases (no "billion laughs") and deep
        # nesting before the recursive composer could exhaust the stack.
        depth = 0
        for event in yaml.parse(text, Loader=loader_cls):
            if isinstance(event, yaml.AliasEvent):
                fail(ALIAS_MESSAGE, *_position(event.start_mark))
                return None
            tag = getattr(event, "tag", None)
            if tag is not None and tag not in PLAIN_TAGS:
                fail(f"YAML tag '{shown(tag)}' is not allowed", *_position(event.start_mark))
                return None
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    message = f"YAML is nested more than {MAX_DEPTH} levels deep"
                    fail(message, *_position(event.start_mark))
                    return None
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        documents = list(yaml.compose_all(text, Loader=loader_cls))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        fail(f"YAML syntax error: {error.problem or error.context}", *_position(mark))
        return None
    except yaml.reader.ReaderError as error:
        # A character YAML refuses (NUL, ESC, C1; UTF-16 without a BOM): PyYAML
        # gives an offset, not a line; point at the character itself.
        line, column = _line_column(text, error.position)
        fail(f"YAML error: character {_codepoint(error.character)} is not allowed", line, column)
        return None
    except (yaml.YAMLError, RecursionError) as error:
        fail(f"YAML error: {str(error).splitlines()[0] if str(error) else type(error).__name__}")
        return None
    documents = [doc for doc in documents if doc is not None]
    if not documents:
        fail("file is empty")
        return None
    if len(documents) > 1:
        fail("file holds several YAML documents; use one", *_position(documents[1].start_mark))
        return None
    return documents[0]


def _line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of character *offset* of *text*."""
    offset = max(0, min(offset, len(text)))
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _codepoint(character: object) -> str:
    if isinstance(character, str) and len(character) == 1:
        return f"U+{ord(character):04X}"
    if isinstance(character, int):
        return f"U+{character:04X}"
    return "?"


def _position(mark: Any) -> tuple[int, int]:
    """1-based (line, column) of a PyYAML mark, or the file's start when there is none."""
    if mark is None:
        return 1, 1
    return mark.line + 1, mark.column + 1


class NodeReader:
    """Typed access to the nodes of one file, recording problems as it goes."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        self.refs: list[Reference] = []
        self._seen: set[int] = set()

    # -- primitives -------------------------------------------------------

    def problem(self, node: Node, message: str) -> None:
        mark = node.start_mark
        # Messages quote keys and tags from the file: make any control character visible.
        text = clean_text(message)
        self.problems.append(Problem(self.path, mark.line + 1, mark.column + 1, text))

    def _visit(self, node: Node) -> bool:
        # An anchor reused through an alias is the same node object: refuse it,
        # which also defuses "billion laughs" expansion.
        if id(node) in self._seen:
            self.problem(node, ALIAS_MESSAGE)
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
                self.problem(key_node, f"duplicate key '{shown(key)}' in {what}")
                continue
            if not any_key and key not in allowed:
                self.problem(key_node, f"unknown key '{shown(key)}' in {what}{hint(key, allowed)}")
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
                self.problem(node, f"{what}: YAML tag '{shown(node.tag)}' is not allowed")
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
        if (
            isinstance(node, yaml.ScalarNode)
            and node.tag
            in (
                STR_TAG,
                "tag:yaml.org,2002:timestamp",
            )
            and DATE_PATTERN.fullmatch(node.value.strip())
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
            self.problem(node, f"{what} '{shown(value)}' is not one of: {', '.join(names)}")
            return None

    def ident(self, node: Node, what: str) -> str | None:
        value = self.text(node, what)
        if value is not None and not ID_PATTERN.fullmatch(value):
            self.problem(node, f"{what} '{shown(value)}' must be lowercase words joined by hyphens")
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


def _kind(node: Node) -> str:
    import yaml

    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return "a single value"


def hint(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""
