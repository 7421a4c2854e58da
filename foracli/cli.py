"""The command line: parse, call the core, pick a renderer, map errors to exit codes."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated, Any, NoReturn, TextIO

import typer

from foracli import __version__, checks, completion, fastpath, loader, outcache, query
from foracli.errors import ExitCode, ForacliError
from foracli.loader import load_knowledge_base
from foracli.model import KnowledgeBase
from foracli.output import Color, Format, plan_output

app = typer.Typer(
    name="foracli",
    help=(
        "A sourced terminal reference on foraminotomy: the endoscopic operation, "
        "open surgery and the other choices. General information, not medical advice."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

FormatOption = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="Output format; auto is rich on a terminal and plain text in a pipe.",
    ),
]
KbOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--kb",
        help=(
            "Your own knowledge base (a YAML file or folder), merged over the shipped one; "
            "repeatable. FORACLI_KB takes paths separated by the OS path separator."
        ),
        show_default=False,
    ),
]
PagerOption = Annotated[
    bool | None,
    typer.Option(
        "--pager/--no-pager",
        help="Page long output (default: only when stdin and stdout are both terminals).",
        show_default=False,
    ),
]
ColorOption = Annotated[
    Color,
    typer.Option(
        "--color",
        case_sensitive=False,
        help="Colour: auto honours NO_COLOR, FORCE_COLOR and TERM=dumb.",
    ),
]


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"foracli {__version__}\n")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """foracli: endoscopic and open foraminotomy explained, with sources."""


@app.command()
def explain(
    procedure: Annotated[
        list[str] | None,
        typer.Argument(
            help="Procedure id, name or alias (default: endoscopic).",
            show_default=False,
            autocompletion=completion.complete_procedure,
        ),
    ] = None,
    section: Annotated[
        list[str] | None,
        typer.Option(
            "--section",
            "-s",
            help="Show only this section (repeatable, in the order given).",
            show_default=False,
            autocompletion=completion.complete_section,
        ),
    ] = None,
    fmt: FormatOption = Format.AUTO,
    color: ColorOption = Color.AUTO,
    kb: KbOption = None,
    pager: PagerOption = None,
) -> None:
    """Explain a procedure section by section, with its sources.

    Example: foracli explain open -s steps -s recovery
    """
    name = " ".join(procedure) if procedure else query.DEFAULT_PROCEDURE
    _show(
        "explanation",
        lambda base: query.explain(base, name, section or ()),
        kb,
        fmt,
        color,
        pager=pager,
    )


@app.command()
def compare(
    procedures: Annotated[
        list[str],
        typer.Argument(
            help="Two or more procedure ids, names or aliases.",
            show_default=False,
            autocompletion=completion.complete_procedure,
        ),
    ],
    evidence: Annotated[
        bool,
        typer.Option("--evidence", help="Also show the studies behind each row (for clinicians)."),
    ] = False,
    aspect: Annotated[
        list[str] | None,
        typer.Option(
            "--aspect",
            "-a",
            help="Show only this row (repeatable).",
            show_default=False,
            autocompletion=completion.complete_aspect,
        ),
    ] = None,
    bars: Annotated[
        bool,
        typer.Option("--bars/--no-bars", help="On a terminal, draw numbers as bars too."),
    ] = True,
    fmt: FormatOption = Format.AUTO,
    color: ColorOption = Color.AUTO,
    kb: KbOption = None,
    pager: PagerOption = None,
) -> None:
    """Compare procedures side by side, one row per aspect, with sources.

    Example: foracli compare open endoscopic
    """
    if len(procedures) < 2:
        raise typer.BadParameter("give at least two procedures", param_hint="PROCEDURES")
    _show(
        "comparison",
        lambda base: query.compare(base, procedures, evidence=evidence, aspects=aspect or ()),
        kb,
        fmt,
        color,
        pager=pager,
        bars=bars,
    )


@app.command("list")
def list_command(
    fmt: FormatOption = Format.AUTO,
    color: ColorOption = Color.AUTO,
    kb: KbOption = None,
) -> None:
    """List every procedure with its one-line summary.

    Example: foracli list
    """
    _show("procedures", query.list_procedures, kb, fmt, color)


@app.command()
def search(
    words: Annotated[list[str], typer.Argument(help="What you want to know.", show_default=False)],
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, help="At most this many hits.")
    ] = 20,
    fmt: FormatOption = Format.AUTO,
    color: ColorOption = Color.AUTO,
    kb: KbOption = None,
) -> None:
    """Search every section, source title and glossary term, best match first.

    Example: foracli search how long off work
    """
    _show("search", lambda base: query.find(base, " ".join(words), limit=limit), kb, fmt, color)


@app.command()
def glossary(
    term: Annotated[
        list[str] | None,
        typer.Argument(
            help="One term to define.",
            show_default=False,
            autocompletion=completion.complete_term,
        ),
    ] = None,
    fmt: FormatOption = Format.AUTO,
    color: ColorOption = Color.AUTO,
    kb: KbOption = None,
) -> None:
    """Plain meanings of the medical words foracli uses, or of one of them.

    Example: foracli glossary foramen
    """
    name = " ".join(term) if term else None
    _show("glossary", lambda base: query.glossary(base, name), kb, fmt, color)


@app.command()
def sources(
    procedure: Annotated[
        list[str] | None,
        typer.Argument(
            help="Only the sources this procedure cites.",
            show_default=False,
            autocompletion=completion.complete_procedure,
        ),
    ] = None,
    fmt: FormatOption = Format.AUTO,
    color: ColorOption = Color.AUTO,
    kb: KbOption = None,
) -> None:
    """List the bibliography: study, journal, DOI or PMID, and kind of evidence.

    Example: foracli sources endoscopic
    """
    name = " ".join(procedure) if procedure else None
    _show("sources", lambda base: query.list_sources(base, name), kb, fmt, color)


@app.command()
def handout(
    procedure: Annotated[
        list[str],
        typer.Argument(
            help="Procedure id, name or alias.",
            show_default=False,
            autocompletion=completion.complete_procedure,
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            show_default=False,
            help="File to write: .html/.htm (printable page) or .md/.markdown.",
        ),
    ],
    compare: Annotated[
        str | None,
        typer.Option(
            "--compare",
            show_default=False,
            help="Also compare with this procedure, row by row.",
            autocompletion=completion.complete_procedure,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace OUTPUT if it exists.")] = False,
    kb: KbOption = None,
) -> None:
    """Write a printable page for a patient: every section, the sources, the words used.

    Example: foracli handout endoscopic --compare open -o handout.html
    """
    from foracli.handout import write_handout

    try:
        written = write_handout(
            load_knowledge_base(_layers(kb)),
            " ".join(procedure),
            output=output,
            compare_with=compare,
            force=force,
        )
    except ForacliError as error:
        _fail(error)
    sys.stderr.write(f"foracli: wrote {written}\n")  # stdout stays data-only


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Knowledge-base files or folders to check (default: the shipped one).",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        Format,
        typer.Option("--format", "-f", case_sensitive=False, help="text (default) or json."),
    ] = Format.TEXT,
    strict: Annotated[bool, typer.Option(help="Treat warnings as errors.")] = False,
) -> None:
    """Check knowledge-base files without printing them: every problem, one per line.

    Example: foracli validate my-procedures/
    """
    if fmt not in (Format.TEXT, Format.JSON, Format.AUTO):
        raise typer.BadParameter("validate writes text or json", param_hint="--format")
    try:
        problems = checks.validate(paths or (), today=dt.date.today())
    except ForacliError as error:
        _fail(error)
    failed = any(p.severity == "error" or strict for p in problems)
    if fmt is Format.JSON:
        sys.stdout.write(checks.problems_json(problems, ok=not failed))
    else:
        sys.stdout.writelines(f"{p}\n" for p in problems)
    sys.stderr.write(f"foracli: {checks.summary(problems)}\n")
    if failed:
        raise typer.Exit(code=int(ExitCode.INVALID_KB))


@app.command()
def schema() -> None:
    """Print the JSON Schema of a procedure file, for editors that validate YAML.

    Example: foracli schema > procedure.schema.json
    """
    from foracli.schema import procedure_schema

    sys.stdout.write(json.dumps(procedure_schema(), indent=2) + "\n")


def _layers(kb: list[Path] | None) -> list[Path]:
    """--kb paths, else FORACLI_KB's non-empty entries (an empty one must not mean '.')."""
    return list(kb) if kb else [Path(p) for p in fastpath.env_layers(os.environ)]


def _show(
    kind: str,
    ask: Callable[[KnowledgeBase], object],
    kb: list[Path] | None,
    fmt: Format,
    color: Color,
    **options: Any,
) -> None:
    """Load the knowledge base, ask it *ask*, and print the answer; errors become exits."""
    try:
        view = ask(load_knowledge_base(_layers(kb)))
    except ForacliError as error:
        _fail(error)
    _emit(kind, view, fmt, color, **options)


def _fail(error: ForacliError) -> NoReturn:
    for line in error.lines():
        sys.stderr.write(f"foracli: {line}\n")
    raise typer.Exit(code=int(error.exit_code))


# Set by the launcher: the argument list of this run, so _emit may cache its output.
REPLAYABLE_ARGV: list[str] | None = None


class Recorder:
    """A stdout stand-in that keeps a copy of what is written (for the output cache)
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


def _emit(
    kind: str,
    view: object,
    fmt: Format,
    color: Color,
    *,
    pager: bool | None = False,
    **options: object,
) -> None:
    """Render *view* to stdout with the renderer the flags and terminal call for."""
    replay = fastpath.cache_key(REPLAYABLE_ARGV, os.environ) if REPLAYABLE_ARGV else None
    recorder = Recorder(sys.stdout)
    out: TextIO = recorder if replay else sys.stdout  # type: ignore[assignment]
    paged = _render(kind, view, fmt, color, out, pager=pager, **options)
    if replay is not None and not paged:  # what went to a pager was never recorded
        directory, key, layers = replay
        try:
            output = recorder.encoded()
        except UnicodeError:
            return  # cannot be replayed byte for byte: simply not cached
        inputs = loader.last_snapshot
        if inputs is None:
            return  # the files could not all be stat'ed: not cacheable
        trees, files = _watched(layers)
        outcache.store(
            directory, key, inputs, output, code=_library_files(), trees=trees, files=files
        )


def _library_files() -> list[str]:
    """Typer's and Rich's files: an upgraded library may render differently."""
    files: list[str] = []
    for module in ("typer", "rich"):
        loaded = sys.modules.get(module)
        if loaded is not None and getattr(loaded, "__file__", None):
            files.append(str(loaded.__file__))
    return files


def _watched(layers: list[str]) -> tuple[list[str], list[str]]:
    """Where the knowledge base lives: whole folder trees, and single files (every
    file of every layer can change a name's meaning or a source). *layers* are
    absolute already (fastpath.cache_key)."""
    trees = [os.path.abspath(fastpath.shipped_dir())]
    files: list[str] = []
    for layer in layers:
        (trees if os.path.isdir(layer) else files).append(layer)
    return list(dict.fromkeys(trees)), list(dict.fromkeys(files))


def _render(
    kind: str,
    view: object,
    fmt: Format,
    color: Color,
    out: TextIO,
    *,
    pager: bool | None = False,
    **options: object,
) -> bool:
    """Write *view* to *out*; True when it went through the pager instead."""
    plan = plan_output(fmt, color, isatty=out.isatty(), env=os.environ)
    if plan.format is Format.RICH:
        from foracli.render import terminal

        console = terminal.make_console(out, plan.terminal)
        render = getattr(terminal, f"render_{kind}")
        # clig.dev: page only when a person is at both ends, never into a pipe.
        if pager is None:
            pager = sys.stdin.isatty() and out.isatty()
        if pager and out.isatty():
            os.environ.setdefault("LESS", "-FRX")  # short pages print at once, keep colour
            with console.pager(styles=True):
                render(view, console, **options)
            return True
        render(view, console, **options)
        return False
    # Imported on demand: each path pays only for the renderer it uses.
    module = {Format.JSON: "jsonout", Format.MARKDOWN: "markdown"}.get(plan.format, "plain")
    renderer = importlib.import_module(f"foracli.render.{module}")
    getattr(renderer, f"render_{kind}")(view, out)
    return False


def main() -> None:
    """Console-script entry point: run the app and end quietly on a closed pipe."""
    # A stdout that cannot encode some text (PYTHONIOENCODING=ascii) shows '?'
    # rather than ending in a traceback.
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")
    code: int | str | None = ExitCode.OK
    try:
        try:
            app()
        except SystemExit as done:
            code = done.code
        sys.stdout.flush()
    except BrokenPipeError:
        # Python docs, "Note on SIGPIPE": point stdout at devnull so the
        # interpreter's final flush cannot fail again, then exit non-zero.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 1  # the exit status the Python docs suggest for EPIPE
    sys.exit(code)
