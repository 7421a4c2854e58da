"""A terminal renderer that writes exactly the bytes Rich writes, without importing Rich.

Importing Rich costs a first run at a terminal about 40 ms, and drawing a page with it
tens more. This module reimplements the few Rich constructs the terminal pages use
(`render.termpages`): Text with styled spans, Rich's word wrapping and folding, Panel,
Table with Rich's column-width algorithm, Padding and Group, and styles as SGR codes,
mirroring Rich 15's code (text.py, _wrap.py, table.py, panel.py, padding.py,
segment.py, style.py, console.py) for those cases only.

Whatever it does not model exactly (a character whose cell width might not be 1,
control characters, a style word it does not know, Windows, Jupyter, a stream not
encoded as UTF-8, a view it does not draw) raises `Unsupported` before anything is
written, and the caller hands the view to Rich. `tests/test_fastterm.py` checks the
bytes against Rich for every page of the shipped knowledge base.
"""

from __future__ import annotations

import itertools
import os
import re
import sys
from math import ceil

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import TextIO, TypeAlias, Union

    from foracli.core.query import View
    from foracli.render import TerminalSettings
    from foracli.render.termpages import Kit

    StyleType: TypeAlias = Union[str, "Style"]  # noqa: UP007
    Segment: TypeAlias = tuple[str, "Style | None"]
    Line: TypeAlias = list[Segment]
    Renderable: TypeAlias = Union["Text", "Table", "Panel", "Padding", "Group", str]  # noqa: UP007
    Options: TypeAlias = tuple["str | None", "str | None", "bool | None"]


class Unsupported(Exception):
    """Something this renderer does not draw exactly as Rich would: use Rich."""


# Rich's single-cell ranges (rich/cells.py), whatever the Unicode version, plus a few
# punctuation marks one cell wide in every version Rich knows (tests check both).
_SINGLE = "\x20-\x7e\xa0-\xac\xae-\u02ff\u0370-\u0482\u2500-\u25fc\u2800-\u28ff\u2010-\u2027"
_FOREIGN = re.compile(f"[^\n{_SINGLE}]")
_WORD = re.compile(r"\s*\S+\s*")
_TRAILING_SPACE = re.compile(r"\s+$")


def check(text: str) -> str:
    """*text*, if every character in it is one cell wide (or a line break)."""
    if _FOREIGN.search(text) is not None:
        raise Unsupported(f"character not modelled in {text[:40]!r}")
    return text


# --- styles ------------------------------------------------------------------------

_ATTRIBUTES = {"bold": 1, "dim": 2, "italic": 4, "underline": 8}
_COLOURS = {
    name: str(30 + n)
    for n, name in enumerate(("black", "red", "green", "yellow", "blue", "magenta", "cyan"))
}
_COLOURS["white"] = "37"


class Style:
    """A Rich style reduced to what the pages use: four attributes, a standard colour,
    a link."""

    __slots__ = ("attributes", "colour", "link", "mask", "null")

    def __init__(
        self, attributes: int = 0, mask: int = 0, colour: str | None = None, link: str | None = None
    ) -> None:
        self.attributes = attributes
        self.mask = mask
        self.colour = colour
        self.link = link
        self.null = not (mask or colour or link)

    def codes(self, colour: bool) -> str:
        """The SGR parameters, as Rich's `_make_ansi_codes` orders them."""
        on = self.attributes & self.mask
        sgr = [str(n + 1) for n in range(4) if on & (1 << n)]
        if colour and self.colour:
            sgr.append(self.colour)
        return ";".join(sgr)


NULL = Style()
_PARSED: dict[str, Style] = {"": NULL, "none": NULL}
_ADDED: dict[tuple[Style, Style], Style] = {}


def get_style(style: StyleType) -> Style:
    """A style definition ("bold cyan") as a Style, as Rich's theme and parser read it."""
    if isinstance(style, Style):
        return style
    found = _PARSED.get(style)
    if found is None:
        attributes = 0
        colour = None
        for word in style.split():
            if word in _ATTRIBUTES:
                attributes |= _ATTRIBUTES[word]
            elif word in _COLOURS and colour is None:
                colour = _COLOURS[word]
            else:
                raise Unsupported(f"style {style!r}")
        found = _PARSED[style] = Style(attributes, attributes, colour)
    return found


def add(first: Style | None, second: Style | None) -> Style | None:
    """*first* + *second*, as Rich's `Style.__add__` combines them."""
    if second is None or second.null:
        return first
    if first is None or first.null:
        return second
    found = _ADDED.get((first, second))
    if found is None:
        found = Style(
            (first.attributes & ~second.mask) | (second.attributes & second.mask),
            first.mask | second.mask,
            second.colour or first.colour,
            second.link or first.link,
        )
        _ADDED[(first, second)] = found
    return found


def styled(style: Style | None) -> Style | None:
    """What a Rich `Style.__bool__` test keeps: None for the null style."""
    return None if style is None or style.null else style


# --- text --------------------------------------------------------------------------


class Text:
    """Rich's Text for plain strings: spans of styles over *plain*."""

    __slots__ = ("_measured", "end", "justify", "no_wrap", "overflow", "plain", "spans", "style")

    def __init__(self, text: str = "", style: StyleType = "", *, end: str = "\n") -> None:
        self.plain = check(text)
        self.style = style
        self.spans: list[tuple[int, int, StyleType]] = []
        self.end = end
        self.no_wrap: bool | None = None
        self.justify: str | None = None
        self.overflow: str | None = None
        self._measured: tuple[str, tuple[int, int]] | None = None

    def __len__(self) -> int:
        return len(self.plain)

    def append(self, text: str, style: StyleType | None = None) -> Text:
        """Add *text*, styled *style*."""
        if text:
            check(text)
            offset = len(self.plain)
            if style:
                self.spans.append((offset, offset + len(text), style))
            self.plain += text
        return self

    def stylize(self, style: StyleType, start: int = 0, end: int | None = None) -> None:
        """Style *start* to *end* (Rich's negative offsets are not needed here)."""
        if style:
            length = len(self.plain)
            end = length if end is None else end
            if start >= length or end <= start:
                return
            self.spans.append((start, min(length, end), style))

    def copy(self) -> Text:
        """A copy with the same spans."""
        new = Text.__new__(Text)
        new.plain, new.style, new.spans, new.end = self.plain, self.style, self.spans[:], self.end
        new.no_wrap, new.justify, new.overflow = self.no_wrap, self.justify, self.overflow
        new._measured = None
        return new

    def append_text(self, text: Text) -> None:
        """Rich's `Text.append(Text)`: its base style becomes a span, then its spans."""
        offset = len(self.plain)
        if text.style:
            self.spans.append((offset, offset + len(text.plain), text.style))
        self.spans += [(s + offset, e + offset, st) for s, e, st in text.spans]
        self.plain += text.plain

    def _line(self, plain: str, spans: list[tuple[int, int, StyleType]]) -> Text:
        line = self.copy()
        line.plain, line.spans = plain, spans
        return line

    def divide(self, offsets: Sequence[int]) -> list[Text]:
        """Rich's `Text.divide`: lines between *offsets*, each span clipped to its lines."""
        if not offsets:
            return [self.copy()]
        bounds = [0, *offsets, len(self.plain)]
        lines = []
        for start, end in itertools.pairwise(bounds):
            spans = []
            for span_start, span_end, style in self.spans:
                new_start = max(0, span_start - start)
                new_end = min(span_end - start, end - start)
                if new_end > new_start:
                    spans.append((new_start, new_end, style))
            lines.append(self._line(self.plain[start:end], spans))
        return lines

    def set_plain(self, plain: str) -> None:
        """Rich's `plain` setter: a shorter text trims the spans past its end."""
        if plain != self.plain:
            shorter = len(plain) < len(self.plain)
            self.plain = plain
            if shorter:
                limit = len(plain)
                self.spans = [
                    (s, e if e < limit else min(limit, e), st)
                    for s, e, st in self.spans
                    if s < limit
                ]

    def right_crop(self, amount: int) -> None:
        """Remove *amount* characters from the end."""
        limit = len(self.plain) - amount
        self.spans = [
            (s, e if e < limit else min(limit, e), st) for s, e, st in self.spans if s < limit
        ]
        self.plain = self.plain[:-amount]

    def truncate(self, width: int, overflow: str | None, pad: bool = False) -> None:
        """Rich's `Text.truncate` for single-cell text."""
        overflow = overflow or self.overflow or "fold"
        if overflow != "ignore":
            length = len(self.plain)
            if length > width:
                if overflow == "ellipsis":
                    self.set_plain(self.plain[: width - 1] + "…")
                else:
                    self.set_plain(self.plain[:width])
            if pad and length < width:
                self.plain += " " * (width - length)

    def pad_left(self, count: int) -> None:
        """Indent by *count* spaces, moving the spans."""
        if count:
            self.set_plain(" " * count + self.plain)
            self.spans = [(s + count, e + count, st) for s, e, st in self.spans]

    def pad_right(self, count: int) -> None:
        """Add *count* spaces at the end."""
        if count:
            self.set_plain(self.plain + " " * count)

    def wrap(self, width: int, justify: str, overflow: str, no_wrap: bool) -> list[Text]:
        """Rich's `Text.wrap` (no tabs: the checker refused them)."""
        lines: list[Text] = []
        for line in self.split_lines():
            if no_wrap:
                new_lines = [line]
            else:
                new_lines = line.divide(divide_line(line.plain, width, fold=overflow == "fold"))
                for each in new_lines:
                    each.rstrip_end(width)
            justify_lines(new_lines, width, justify, overflow)
            for each in new_lines:
                each.truncate(width, overflow)
            lines.extend(new_lines)
        return lines

    def split_lines(self) -> list[Text]:
        """Rich's `split("\\n", allow_blank=True)`."""
        if "\n" not in self.plain:
            return [self.copy()]
        offsets: list[int] = []
        for match in re.finditer("\n", self.plain):
            offsets += match.span()
        return [line for line in self.divide(offsets) if line.plain != "\n"]

    def rstrip_end(self, size: int) -> None:
        """Remove whitespace beyond *size* at the end."""
        excess = len(self.plain) - size
        if excess > 0:
            match = _TRAILING_SPACE.search(self.plain)
            if match is not None:
                self.right_crop(min(len(match.group(0)), excess))

    def segments(self) -> Line:
        """One line's segments, as Rich renders the line inside `Text("\\n").join`:
        the base style as the first span, then the spans, split at every boundary."""
        text = self.plain
        spans = self.spans
        if self.style:
            spans = [(0, len(text), self.style), *spans]
        if not spans:
            return [(text, None)] if text else []
        styles = [get_style(style) for _, _, style in spans]
        events = [(0, False, 0)]
        events += [(start, False, n) for n, (start, _, _) in enumerate(spans, 1)]
        events += [(end, True, n) for n, (_, end, _) in enumerate(spans, 1)]
        events.append((len(text), True, 0))
        events.sort(key=lambda event: (event[0], event[1]))
        stack: list[int] = []
        out: Line = []
        for (offset, leaving, index), (next_offset, _, _) in itertools.pairwise(events):
            if leaving:
                stack.remove(index)
            else:
                stack.append(index)
            if next_offset > offset:
                style: Style | None = None
                for n in sorted(stack):
                    if n:
                        style = add(style, styles[n - 1])
                out.append((text[offset:next_offset], styled(style)))
        return out

    def lines(self, width: int, options: Options) -> list[Line]:
        """Rich's `Text.__rich_console__`, as lines."""
        justify, overflow, no_wrap = options
        wrapped = self.wrap(
            width,
            self.justify or justify or "default",
            self.overflow or overflow or "fold",
            bool(self.no_wrap if self.no_wrap is not None else no_wrap),
        )
        return [line.segments() for line in wrapped]

    def measure(self) -> tuple[int, int]:
        """Rich's `Text.__rich_measure__`: the longest word, the longest line (kept, as a
        table measures each cell several times)."""
        if self._measured is not None and self._measured[0] == self.plain:
            return self._measured[1]
        lines = self.plain.splitlines()
        longest = max(len(line) for line in lines) if lines else 0
        words = self.plain.split()
        found = (max(len(word) for word in words) if words else longest), longest
        self._measured = (self.plain, found)
        return found


def divide_line(text: str, width: int, fold: bool = True) -> list[int]:
    """Rich's `_wrap.divide_line` for single-cell text: where to break *text*."""
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(text):
        start = match.start()
        word = match.group(0)
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            if fold:
                pieces = [word[i : i + width] for i in range(0, len(word), width)]
                for n, piece in enumerate(pieces):
                    if start:
                        breaks.append(start)
                    if n == len(pieces) - 1:
                        offset = len(piece)
                    else:
                        start += len(piece)
            else:
                if start:
                    breaks.append(start)
                offset = len(word)
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    return breaks


def justify_lines(lines: list[Text], width: int, justify: str, overflow: str) -> None:
    """Rich's `Lines.justify` for the methods the pages use."""
    if justify == "left":
        for line in lines:
            line.truncate(width, overflow, pad=True)
    elif justify == "center":
        for line in lines:
            line.set_plain(line.plain.rstrip())
            line.truncate(width, overflow)
            line.pad_left((width - len(line.plain)) // 2)
            line.pad_right(width - len(line.plain))
    elif justify == "right":
        for line in lines:
            line.set_plain(line.plain.rstrip())
            line.truncate(width, overflow)
            line.pad_left(width - len(line.plain))
    elif justify != "default":
        raise Unsupported(f"justify {justify!r}")


def as_text(renderable: Renderable) -> Renderable:
    """A string as Rich's `render_str` makes it (no markup, emoji or highlighting)."""
    return Text(renderable) if isinstance(renderable, str) else renderable


# --- lines -------------------------------------------------------------------------


def fit(line: Line, width: int, style: Style | None, pad: bool) -> Line:
    """Rich's `Segment.adjust_line_length`."""
    length = sum(len(text) for text, _ in line)
    if length < width:
        return [*line, (" " * (width - length), style)] if pad else line[:]
    if length == width:
        return line[:]
    out: Line = []
    length = 0
    for text, seg_style in line:
        if length + len(text) < width:
            out.append((text, seg_style))
            length += len(text)
        else:
            out.append((text[: width - length], seg_style))
            break
    return out


def render_lines(
    renderable: Renderable, width: int, options: Options, style: Style | None, pad: bool = True
) -> list[Line]:
    """Rich's `Console.render_lines`: the lines, styled with *style*, cut (and padded) to
    *width*."""
    lines = lines_of(renderable, width, options)
    style = styled(style)
    if style is not None:
        lines = [[(text, add(style, seg)) for text, seg in line] for line in lines]
    return [fit(line, width, style, pad) for line in lines]


def lines_of(renderable: Renderable, width: int, options: Options) -> list[Line]:
    """What *renderable* yields at *width*, split into lines."""
    if width < 1:
        return []  # Rich's `Console.render` draws nothing without room
    renderable = as_text(renderable)
    return renderable.lines(width, options)  # type: ignore[union-attr]


# --- containers --------------------------------------------------------------------


class Group:
    """Rich's Group: each part below the other."""

    def __init__(self, *renderables: Renderable) -> None:
        self.renderables = renderables

    def lines(self, width: int, options: Options) -> list[Line]:
        """Each part's lines in turn."""
        out: list[Line] = []
        for part in self.renderables:
            out += lines_of(part, width, options)
        return out


class Padding:
    """Rich's Padding, left and right only (all the pages use)."""

    def __init__(self, renderable: Renderable, pad: tuple[int, int, int, int]) -> None:
        top, self.right, bottom, self.left = pad
        if top or bottom:
            raise Unsupported("vertical padding")
        self.renderable = renderable

    def lines(self, width: int, options: Options) -> list[Line]:
        """The child's lines between the margins."""
        inner = render_lines(self.renderable, width - self.left - self.right, options, None)
        left = [(" " * self.left, None)] if self.left else []
        right = [(" " * self.right, None)] if self.right else []
        return [[*left, *line, *right] for line in inner]

    def measure(self, width: int) -> tuple[int, int]:
        """Rich's `Padding.__rich_measure__`."""
        extra = self.left + self.right
        if width - extra < 1:
            return width, width
        low, high = measure(self.renderable, width)
        return min(low + extra, width), min(high + extra, width)


def measure(renderable: Renderable, width: int) -> tuple[int, int]:
    """Rich's `Measurement.get` for text and padded text."""
    if width < 1:
        return 0, 0
    renderable = as_text(renderable)
    if isinstance(renderable, Text):
        low, high = renderable.measure()
    elif isinstance(renderable, Padding):
        low, high = renderable.measure(width)
    else:
        raise Unsupported("measuring a container")
    low = min(max(0, low), high)  # normalize, then with_maximum(width)
    low, high = max(0, low), max(0, max(low, high))
    low, high = min(low, width), min(high, width)
    if high < 1:
        return 0, 0
    low = min(max(0, low), high)
    return max(0, low), max(0, max(low, high))


def _chars(row: str) -> tuple[str, str, str, str]:
    return row[0], row[1], row[2], row[3]


class Box:
    """A box's characters, as Rich's `Box` reads them from eight lines."""

    def __init__(self, box: str) -> None:
        rows = box.splitlines()
        self.top_left, self.top, self.top_divider, self.top_right = _chars(rows[0])
        self.head_left, _, self.head_vertical, self.head_right = _chars(rows[1])
        self.head_row = rows[2]
        self.mid_left, _, _, self.mid_right = _chars(rows[3])
        self.row = rows[4]
        self.bottom_left, self.bottom, self.bottom_divider, self.bottom_right = _chars(rows[7])

    def get_top(self, widths: Sequence[int]) -> str:
        """The top edge over columns of *widths*."""
        return self.top_left + self.top_divider.join(self.top * w for w in widths) + self.top_right

    def get_row(self, widths: Sequence[int], chars: str) -> str:
        """A rule between rows (*chars*: left, horizontal, cross, right)."""
        left, horizontal, cross, right = _chars(chars)
        return left + cross.join(horizontal * w for w in widths) + right

    def get_bottom(self, widths: Sequence[int]) -> str:
        """The bottom edge."""
        return (
            self.bottom_left
            + self.bottom_divider.join(self.bottom * w for w in widths)
            + self.bottom_right
        )


ROUNDED = Box("╭─┬╮\n│ ││\n├─┼┤\n│ ││\n├─┼┤\n├─┼┤\n│ ││\n╰─┴╯\n")
HEAVY = Box("┏━┳┓\n┃ ┃┃\n┣━╋┫\n┃ ┃┃\n┣━╋┫\n┣━╋┫\n┃ ┃┃\n┗━┻┛\n")


def link(target: str) -> Style:
    """A style that makes text a link (OSC 8) to *target*."""
    return Style(link=check(target))


class Panel:
    """Rich's Panel (expanded, padding (0, 1), optional title and subtitle)."""

    def __init__(
        self,
        renderable: Renderable,
        box: Box = ROUNDED,
        *,
        title: Text | None = None,
        title_align: str = "center",
        subtitle: Text | None = None,
        subtitle_align: str = "center",
        border_style: StyleType = "none",
        style: StyleType = "none",
    ) -> None:
        self.renderable = renderable
        self.box = box
        self.title, self.title_align = title, title_align
        self.subtitle, self.subtitle_align = subtitle, subtitle_align
        self.border_style = border_style
        self.style = style

    @staticmethod
    def _edge_text(text: Text | None) -> Text | None:
        if not text:
            return None
        out = text.copy()
        out.end = ""
        out.set_plain(out.plain.replace("\n", " "))
        out.no_wrap = True
        out.set_plain(f" {out.plain} ")
        out.spans = [(s + 1, e + 1, st) for s, e, st in out.spans]
        return out

    def _edge(
        self, text: Text, width: int, align: str, fill: str, border: Style | None, options: Options
    ) -> Line:
        text = text.copy()
        text.truncate(width, None)
        excess = width - len(text.plain)
        if text.style:
            text.stylize(get_style(text.style))
        if excess:
            if align != "left":
                raise Unsupported(f"title_align {align!r}")
            joined = Text()
            joined.append_text(text)
            if border is not None:
                joined.spans.append((len(joined.plain), len(joined.plain) + excess, border))
            joined.plain += fill * excess
            text = joined
        text.end, text.no_wrap = "", True
        (line,) = text.lines(width, options)
        return line

    def lines(self, width: int, options: Options) -> list[Line]:
        """The box, its title in the top edge, the padded body."""
        style = get_style(self.style)
        border = styled(add(style, get_style(self.border_style)))
        box = self.box
        title = self._edge_text(self.title)
        if title is not None and border is not None:
            title.spans.insert(0, (0, len(title.plain), border))
        max_width = width
        child_width = width - 2
        if title is not None:
            child_width = min(max_width - 2, max(child_width, len(title.plain) + 2))
        width = child_width + 2
        body = render_lines(Padding(self.renderable, (0, 1, 0, 1)), child_width, options, style)
        out: list[Line] = []
        if title is None or width <= 4:
            out.append([(box.get_top([width - 2]), border)])
        else:
            edge = self._edge(title, width - 4, self.title_align, box.top, border, options)
            out.append([(box.top_left + box.top, border), *edge, (box.top + box.top_right, border)])
        for line in body:
            out.append([(box.mid_left, border), *line, (box.mid_right, border)])
        subtitle = self._edge_text(self.subtitle)
        if subtitle is not None and border is not None:
            subtitle.spans.insert(0, (0, len(subtitle.plain), border))
        if subtitle is None or width <= 4:
            out.append([(box.get_bottom([width - 2]), border)])
        else:
            edge = self._edge(subtitle, width - 4, self.subtitle_align, box.bottom, border, options)
            out.append(
                [
                    (box.bottom_left + box.bottom, border),
                    *edge,
                    (box.bottom + box.bottom_right, border),
                ]
            )
        return out


class Column:
    """One column of a Table and its cells."""

    def __init__(
        self,
        index: int,
        header: Renderable,
        *,
        style: StyleType,
        justify: str,
        overflow: str,
        width: int | None,
        ratio: int | None,
        no_wrap: bool,
    ) -> None:
        self.index = index
        self.header = header
        self.style = style
        self.justify = justify
        self.overflow = overflow
        self.width = width
        self.ratio = ratio
        self.no_wrap = no_wrap
        self.cells: list[Renderable] = []


class Table:
    """Rich's Table for the options the pages pass (grids too)."""

    def __init__(
        self,
        *,
        title: Text | None = None,
        box: Box | None = HEAVY,
        padding: tuple[int, int] = (0, 1),
        collapse_padding: bool = False,
        pad_edge: bool = True,
        expand: bool = False,
        show_header: bool = True,
        show_edge: bool = True,
        show_lines: bool = False,
        header_style: StyleType = "bold",  # Rich's "table.header"
    ) -> None:
        self.title = title
        self.box = box
        top, right = padding
        if top:
            raise Unsupported("vertical cell padding")
        self.pad = right
        self.collapse_padding = collapse_padding
        self.pad_edge = pad_edge
        self.expand = expand
        self.show_header = show_header
        self.show_edge = show_edge
        self.show_lines = show_lines
        self.header_style = header_style
        self.columns: list[Column] = []
        self.row_count = 0

    @classmethod
    def grid(cls, *, padding: tuple[int, int] = (0, 0)) -> Table:
        """A table without borders or header (Rich's `Table.grid`)."""
        return cls(
            box=None,
            padding=padding,
            collapse_padding=True,
            show_header=False,
            show_edge=False,
            pad_edge=False,
        )

    def add_column(
        self,
        header: Renderable = "",
        *,
        style: StyleType = "",
        justify: str = "left",
        overflow: str = "ellipsis",
        width: int | None = None,
        ratio: int | None = None,
        no_wrap: bool = False,
    ) -> None:
        """A column (Rich's defaults: left, ellipsis)."""
        self.columns.append(
            Column(
                len(self.columns),
                header,
                style=style,
                justify=justify,
                overflow=overflow,
                width=width,
                ratio=ratio,
                no_wrap=no_wrap,
            )
        )

    def add_row(self, *cells: Renderable) -> None:
        """A row of cells, one a column."""
        if len(cells) != len(self.columns):
            raise Unsupported("row and columns differ")
        for column, cell in zip(self.columns, cells, strict=True):
            column.cells.append(cell)
        self.row_count += 1

    @property
    def _extra_width(self) -> int:
        width = 2 if self.box and self.show_edge else 0
        return width + (len(self.columns) - 1 if self.box else 0)

    def _padding(self, index: int, last_row: bool = True) -> tuple[int, int]:
        """(left, right) padding of a cell in column *index* (Rich's `get_padding`)."""
        left = right = self.pad
        if self.collapse_padding and index:
            left = max(0, left - right)
        if not self.pad_edge:
            if index == 0:
                left = 0
            if index == len(self.columns) - 1:
                right = 0
        return left, right

    def _padding_width(self, index: int) -> int:
        """Rich's `_get_padding_width` (its collapse rule included)."""
        left, right = self.pad, self.pad
        if self.collapse_padding:
            left = 0
            right = abs(left - right)
        if not self.pad_edge:
            if index == 0:
                left = 0
            if index == len(self.columns) - 1:
                right = 0
        return left + right

    def _cells(self, column: Column) -> list[tuple[Style | None, Padding]]:
        index = column.index
        left, right = self._padding(index)
        out: list[tuple[Style | None, Padding]] = []
        if self.show_header:
            out.append((get_style(self.header_style), Padding(column.header, (0, right, 0, left))))
        style = get_style(column.style)
        out += [(style, Padding(cell, (0, right, 0, left))) for cell in column.cells]
        return out

    def _measure_column(self, width: int, column: Column) -> tuple[int, int]:
        if width < 1:
            return 0, 0
        padding = self._padding_width(column.index)
        if column.width is not None:
            fixed = column.width + padding
            return min(fixed, width), min(fixed, width)
        sizes = [measure(cell, width) for _, cell in self._cells(column)]
        low = max(low for low, _ in sizes) if sizes else 1
        high = max(high for _, high in sizes) if sizes else width
        return min(low, width), min(high, width)

    def _widths(self, max_width: int) -> list[int]:
        """Rich's `_calculate_column_widths`."""
        columns = self.columns
        ranges = [self._measure_column(max_width, column) for column in columns]
        widths = [high or 1 for _, high in ranges]
        if self.expand:
            ratios = [c.ratio or 0 for c in columns if c.ratio is not None]
            if any(ratios):
                fixed = [
                    0 if c.ratio is not None else high
                    for (_, high), c in zip(ranges, columns, strict=True)
                ]
                minimums = [
                    (c.width or 1) + self._padding_width(c.index)
                    for c in columns
                    if c.ratio is not None
                ]
                flex = iter(ratio_distribute(max_width - sum(fixed), ratios, minimums))
                for n, column in enumerate(columns):
                    if column.ratio is not None:
                        widths[n] = fixed[n] + next(flex)
        table_width = sum(widths)
        if table_width > max_width:
            widths = collapse_widths(
                widths, [c.width is None and not c.no_wrap for c in columns], max_width
            )
            table_width = sum(widths)
            if table_width > max_width:
                widths = ratio_reduce(table_width - max_width, [1] * len(widths), widths, widths)
                table_width = sum(widths)
            widths = [
                self._measure_column(w, c)[1] or 0 for w, c in zip(widths, columns, strict=True)
            ]
        if table_width < max_width and self.expand:
            pads = ratio_distribute(max_width - table_width, widths)
            widths = [w + p for w, p in zip(widths, pads, strict=True)]
        return widths

    def lines(self, width: int, options: Options) -> list[Line]:
        """The title, then the rows between the box's rules."""
        if not self.columns:
            raise Unsupported("empty table")
        widths = self._widths(width - self._extra_width)
        table_width = sum(widths) + self._extra_width
        out: list[Line] = []
        if self.title is not None:
            out += lines_of(self.title, table_width, ("center", options[1], options[2]))
        box = self.box
        columns = self.columns
        cells = [self._cells(column) for column in columns]
        rows = list(zip(*cells, strict=True))
        if box and self.show_edge:
            out.append([(box.get_top(widths), None)])
        for n, row in enumerate(rows):
            header = n == 0 and self.show_header
            rendered = []
            for w, (style, cell), column in zip(widths, row, columns, strict=True):
                cell_options = (column.justify, column.overflow, column.no_wrap)
                rendered.append((render_lines(cell, w, cell_options, style), style, w))
            row_height = max(len(lines) for lines, _, _ in rendered)
            height = max(1, row_height)
            shaped = []
            for lines, style, w in rendered:
                blank: Line = [(" " * w, styled(style))]
                extra = [blank] * (row_height - len(lines))
                aligned = extra + lines if header else lines + extra
                # Rich's `Segment.set_shape`: unstyled blank lines up to the row's height.
                aligned = [fit(line, w, None, pad=True) for line in aligned]
                shaped.append(aligned + [[(" " * w, None)]] * (height - len(aligned)))
            for line_no in range(height):
                line: Line = []
                if box and self.show_edge:
                    line.append((box.head_left, None))
                for k, cell_lines in enumerate(shaped):
                    line += cell_lines[line_no]
                    if box and k < len(shaped) - 1:
                        line.append((box.head_vertical, None))
                if box and self.show_edge:
                    line.append((box.head_right, None))
                out.append(line)
            if box and header:
                out.append([(box.get_row(widths, box.head_row), None)])
            elif box and self.show_lines and n < len(rows) - 1:
                out.append([(box.get_row(widths, box.row), None)])
        if box and self.show_edge:
            out.append([(box.get_bottom(widths), None)])
        return out


def collapse_widths(widths: list[int], wrapable: list[bool], max_width: int) -> list[int]:
    """Rich's `Table._collapse_widths`: narrow the widest wrapable columns first."""
    total = sum(widths)
    excess = total - max_width
    if any(wrapable):
        while total and excess > 0:
            widest = max(w for w, wrap in zip(widths, wrapable, strict=True) if wrap)
            second = max(
                w if wrap and w != widest else 0 for w, wrap in zip(widths, wrapable, strict=True)
            )
            difference = widest - second
            ratios = [
                1 if (w == widest and wrap) else 0 for w, wrap in zip(widths, wrapable, strict=True)
            ]
            if not any(ratios) or not difference:
                break
            widths = ratio_reduce(excess, ratios, [min(excess, difference)] * len(widths), widths)
            total = sum(widths)
            excess = total - max_width
    return widths


def ratio_reduce(
    total: int, ratios: list[int], maximums: list[int], values: list[int]
) -> list[int]:
    """Rich's `_ratio.ratio_reduce`."""
    ratios = [r if m else 0 for r, m in zip(ratios, maximums, strict=True)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining = total
    out = []
    for ratio, maximum, value in zip(ratios, maximums, values, strict=True):
        if ratio and total_ratio > 0:
            distributed = min(maximum, round(ratio * remaining / total_ratio))
            out.append(value - distributed)
            remaining -= distributed
            total_ratio -= ratio
        else:
            out.append(value)
    return out


def ratio_distribute(total: int, ratios: list[int], minimums: list[int] | None = None) -> list[int]:
    """Rich's `_ratio.ratio_distribute`."""
    if minimums:
        ratios = [r if m else 0 for r, m in zip(ratios, minimums, strict=True)]
    total_ratio = sum(ratios)
    if total_ratio <= 0:
        raise Unsupported("no ratios")
    remaining = total
    out = []
    for ratio, minimum in zip(ratios, minimums or [0] * len(ratios), strict=True):
        distributed = (
            max(minimum, ceil(ratio * remaining / total_ratio)) if total_ratio > 0 else remaining
        )
        out.append(distributed)
        total_ratio -= ratio
        remaining -= distributed
    return out


# --- the console -------------------------------------------------------------------


def console_state(
    out: TextIO, settings: TerminalSettings, environ: Mapping[str, str] = os.environ
) -> tuple[int, bool, bool]:
    """(width, colours on, colours removed) as `terminal.make_console`'s Rich console
    decides them for *out*, from the same variables and terminal size."""
    if sys.platform == "win32":
        raise Unsupported("Windows consoles")
    import builtins

    if hasattr(builtins, "get_ipython") or "idlelib" in sys.modules:
        raise Unsupported("Jupyter or IDLE")
    encoding = (getattr(out, "encoding", "utf-8") or "utf-8").lower()
    if not encoding.startswith("utf"):
        raise Unsupported(f"encoding {encoding}")
    terminal = settings.force_terminal
    if terminal is None:
        compatible = environ.get("TTY_COMPATIBLE", "")
        force_color = environ.get("FORCE_COLOR")
        if compatible in ("0", "1"):
            terminal = compatible == "1"
        elif force_color is not None:
            terminal = force_color != ""
        else:
            isatty = getattr(out, "isatty", None)
            try:
                terminal = False if isatty is None else bool(isatty())
            except ValueError:
                terminal = False
    dumb = terminal and environ.get("TERM", "").lower() in ("dumb", "unknown")
    colours = not settings.plain_styles and (
        (terminal and not dumb) or bool(settings.force_terminal)
    )
    width = settings.width
    columns = environ.get("COLUMNS")
    if width is None and columns is not None and columns.isdigit():
        width = int(columns)
    lines = environ.get("LINES")
    if width is None or lines is None or not lines.isdigit():
        if dumb:
            width = 80
        elif width is None:
            size = None
            for fd in (0, 1, 2):
                try:
                    size, _ = os.get_terminal_size(fd)
                except (AttributeError, ValueError, OSError):
                    continue
                break
            if columns is not None and columns.isdigit():
                size = int(columns)
            width = size or 80
    return min(width, 100), colours, settings.no_color


def draw(parts: Sequence[Renderable], width: int, colours: bool, no_color: bool) -> str:
    """What Rich's `console.print` writes for each of *parts* in turn."""
    out: list[str] = []
    codes: dict[Style, str] = {}
    ids: dict[Style, int] = {}
    for part in parts:
        for line in lines_of(part, width, (None, None, None)):
            for text, style in fit(line, width, None, pad=False):
                if style is None or not colours or not text:
                    out.append(text)
                    continue
                sgr = codes.get(style)
                if sgr is None:
                    sgr = codes[style] = style.codes(not no_color)
                shown = f"\x1b[{sgr}m{text}\x1b[0m" if sgr else text
                if style.link:
                    number = ids.setdefault(style, len(ids) + 1)
                    shown = f"\x1b]8;id={number};{style.link}\x1b\\{shown}\x1b]8;;\x1b\\"
                out.append(shown)
            out.append("\n")
    return "".join(out)


FAST: Kit = sys.modules[__name__]


class FastTerminalRenderer:
    """The terminal renderer: these pages drawn here, anything else (or anything this
    module cannot draw exactly) by Rich through `render.terminal`."""

    def __init__(
        self, settings: TerminalSettings, *, locale: str = "en", bars: bool = True
    ) -> None:
        self.settings = settings
        self.locale = locale
        self.bars = bars

    def parts(self, view: View, width: int) -> Sequence[Renderable] | None:
        """The page for *view*, or None for a view drawn by Rich alone."""
        from foracli.content import words
        from foracli.core import query
        from foracli.render import termpages

        w = words(self.locale)
        links = self.settings.hyperlinks
        if isinstance(view, query.Explanation):
            return termpages.explanation_parts(FAST, view, w, links=links)
        if isinstance(view, query.ComparisonView):
            return termpages.comparison_parts(FAST, view, width, bars=self.bars, w=w, links=links)
        if isinstance(view, query.ProcedureList):
            return termpages.procedures_parts(FAST, view, w)
        if isinstance(view, query.SearchResult):
            return termpages.search_parts(FAST, view, w)
        if isinstance(view, query.GlossaryView):
            return termpages.glossary_parts(FAST, view, w)
        if isinstance(view, query.SourceList):
            return termpages.sources_parts(FAST, view, w, links=links)
        if isinstance(view, query.AnswerView):
            return termpages.answer_parts(FAST, view, w)
        return None

    def draw(self, view: View, out: TextIO) -> str | None:
        """Everything *view* writes to *out*, or None when Rich must draw it.
        Unsupported propagates (the differential test wants to see it)."""
        width, colours, no_color = console_state(out, self.settings)
        parts = self.parts(view, width)
        return None if parts is None else draw(parts, width, colours, no_color)

    def render(self, view: View, out: TextIO) -> None:
        """Write *view* to *out*: drawn here in full first, else handed to Rich."""
        try:
            text = self.draw(view, out)
        except Exception:  # anything unexpected: Rich's output, not a crash
            text = None
        if text is None:
            from foracli.render.terminal import TerminalRenderer

            TerminalRenderer(self.settings, locale=self.locale, bars=self.bars).render(view, out)
            return
        out.write(text)
