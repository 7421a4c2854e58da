"""The presenter: where a command's view goes, and how.

It owns the output plan (format and colour), the pager, broken pipes, write
errors and the one recording hook through which the speed layer keeps what was
written. Everything it needs arrives in an `Environment`, passed explicitly (in
the spirit of httpie's), so a test can hand it fake streams and no module
global carries state between layers.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence

from foracli.app.output import plan_output
from foracli.app.pager import page
from foracli.app.streams import after_write_error
from foracli.content import words
from foracli.core.model import KnowledgeBase
from foracli.core.query import View
from foracli.core.record import field, record
from foracli.kb import files
from foracli.render import Color, Format, page_renderer

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from typing import TextIO

    from foracli.kb.files import StrPath

Loader = Callable[[Sequence["StrPath"]], KnowledgeBase]
Record = Callable[[bytes], None]


def _load(paths: Sequence[StrPath]) -> KnowledgeBase:
    """The loader, imported only when a run needs it: a run the speed layer serves from
    the parsed-KB cache never imports it, nor PyYAML."""
    from foracli.kb.loader import load_knowledge_base

    return load_knowledge_base(paths)


@record(frozen=False)
class Environment:
    """The streams, variables and hooks of one run.

    *load* turns the user's knowledge-base paths into a knowledge base (the speed
    layer may wrap it with its caches); *record*, when set, is handed the exact
    bytes a view wrote, unless they went to a pager.
    """

    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    load: Loader = _load
    record: Record | None = None
    locale: str = "en"

    def layers(self, kb: Sequence[StrPath] | None) -> list[StrPath]:
        """--kb paths, else FORACLI_KB's non-empty entries (an empty one must not mean '.')."""
        return [*kb] if kb else [*files.env_layers(self.environ)]


def environment_of(ctx: object) -> Environment:
    """The run's environment from a Click context: the launcher's, else one for this
    process (in-process tests, `python -c`), kept on the root context."""
    root = ctx.find_root()  # type: ignore[attr-defined]
    if not isinstance(root.obj, Environment):
        root.obj = Environment()
    return root.obj


class Recorder:
    """A stdout stand-in that keeps a copy of what is written (for the recording hook)
    while behaving, for Rich's terminal checks, exactly like the real stream."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        # Click's echo may hand over bytes; keep the record in text either way.
        self.parts.append(text.decode() if isinstance(text, bytes) else text)
        return self.stream.write(text)

    def encoded(self) -> bytes:
        """What was written, as the stream itself would have encoded it."""
        encoding = getattr(self.stream, "encoding", None) or "utf-8"
        errors = getattr(self.stream, "errors", None) or "strict"
        return "".join(self.parts).encode(encoding, errors)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> object:
        return getattr(self.stream, name)


class Capture(Recorder):
    """Like Recorder, but keeps what is written instead of passing it on: what the
    pager will show. To Rich it still looks like the terminal it stands for."""

    def write(self, text: str) -> int:
        self.parts.append(text.decode() if isinstance(text, bytes) else text)
        return len(text)

    def flush(self) -> None:
        """Nothing to flush: the pager gets it all at once."""


def present(
    env: Environment,
    view: View,
    fmt: Format,
    color: Color,
    *,
    pager: bool | None = False,
    bars: bool = True,
    record: bool = True,
) -> None:
    """Render *view* to the run's stdout with the renderer the flags and terminal call
    for, paging when asked (or, by default, when a person is at both ends). Without
    *record* (output of a run that ends in an error) the output is never kept."""
    plan = plan_output(fmt, color, isatty=env.stdout.isatty(), env=env.environ)
    # clig.dev: page only when a person is at both ends, never into a pipe.
    if pager is None:
        pager = env.stdin.isatty() and env.stdout.isatty()
    paged = plan.format is Format.RICH and bool(pager and env.stdout.isatty())
    out: Recorder | TextIO
    if paged:
        out = Capture(env.stdout)
    elif env.record is not None:
        out = Recorder(env.stdout)
    else:
        out = env.stdout
    renderer = page_renderer(plan.format, plan.terminal, locale=env.locale, bars=bars)
    try:
        renderer.render(view, out)  # type: ignore[arg-type]  # a stand-in for the stream
        # Flushed here, so a full disk or a gone reader is met while the presenter
        # can still say so, and nothing half-written is recorded for a replay.
        env.stdout.flush()
    except OSError as error:
        raise SystemExit(after_write_error(error)) from None
    if not isinstance(out, Recorder):
        return
    try:
        output = out.encoded()
    except UnicodeError:
        output = None  # cannot be replayed byte for byte: not recorded
    if paged:
        show_paged(
            env, output if output is not None else "".join(out.parts).encode(errors="replace")
        )
    if output is not None and env.record is not None and record:
        env.record(output)


def show_paged(env: Environment, data: bytes) -> None:
    """Page *data*; if the pager cannot start, print it directly and say so once."""
    env.stdout.flush()
    failed = page(data, env.environ)
    if failed is None:
        return
    if failed:
        sys.stderr.write(f"foracli: {words(env.locale).text('pager.failed', pager=failed)}\n")
    buffer = getattr(env.stdout, "buffer", None)
    try:
        if buffer is not None:
            buffer.write(data)
            buffer.flush()
        else:
            env.stdout.write(data.decode(errors="replace"))
    except OSError as error:
        raise SystemExit(after_write_error(error)) from None
