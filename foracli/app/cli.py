"""The command line: parse, call the core, pick a renderer, map errors to exit codes."""

from __future__ import annotations

import datetime as dt
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn, TextIO

import typer

from foracli import __version__, content
from foracli.app import commands, completion, validation
from foracli.app.helptext import App
from foracli.app.present import Environment, environment_of
from foracli.app.streams import after_write_error
from foracli.app.usage import Group
from foracli.core.errors import ExitCode, ForacliError
from foracli.core.model import ASPECTS, SECTIONS
from foracli.render import Color, Format
from foracli.render.jsonout import validation_document

PROG = "foracli"

app = App(
    name=PROG,
    cls=Group,
    # Plain help and one-line errors of our own (app.helptext, app.usage): no Rich
    # boxes, no Python types, nothing drawn into a pipe.
    rich_markup_mode=None,
    help=(
        "A sourced terminal reference on foraminotomy: the endoscopic operation, "
        "open surgery and the other choices. General information, not medical advice."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=(
        "Run 'foracli help COMMAND' (or 'foracli COMMAND --help') for a command's options, "
        "and 'man foracli' for the whole manual."
    ),
)

FormatOption = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        metavar="FORMAT",
        help="Output format; auto is rich on a terminal and plain text in a pipe.",
    ),
]
KbOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--kb",
        metavar="PATH",
        help=(
            "Your own knowledge base (a YAML file or folder), merged over the shipped one; "
            "repeatable. FORACLI_KB takes paths separated by the OS path separator."
        ),
        show_default=False,
        parser=commands.kb_path,  # "" is a usage error, not the current folder
        readable=False,  # the loader says "cannot read" itself, exit 3 (README)
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
RegionOption = Annotated[
    str | None,
    typer.Option(
        "--region",
        "-r",
        metavar="REGION",
        help="neck or low-back (also cervical, lumbar, back): show only what applies there.",
        show_default=False,
        autocompletion=completion.complete_region,
    ),
]
SourcesOption = Annotated[
    bool,
    typer.Option(
        "--sources/--no-sources",
        help="List the sources cited by what is shown, numbered as the text cites them.",
    ),
]


class HandoutFormat(StrEnum):
    """What `handout` writes (only what it can)."""

    HTML = "html"
    MARKDOWN = "markdown"


class ProblemFormat(StrEnum):
    """What `validate` writes (only what it can)."""

    TEXT = "text"
    JSON = "json"


ColorOption = Annotated[
    Color,
    typer.Option(
        "--color",
        case_sensitive=False,
        metavar="WHEN",
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
    ctx: typer.Context,
    procedure: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="PROCEDURE",
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
            metavar="SECTION",
            help=(
                "Show only this section (repeatable, in the order given): "
                + ", ".join(s.key for s in SECTIONS)
                + "."
            ),
            show_default=False,
            autocompletion=completion.complete_section,
        ),
    ] = None,
    region: RegionOption = None,
    brief: Annotated[
        bool,
        typer.Option(
            "--brief",
            help="The short version on one screen: summary, key points, figures, when to get help.",
        ),
    ] = False,
    cite: SourcesOption = True,
    fmt: FormatOption = Format.AUTO,
    color: ColorOption = Color.AUTO,
    kb: KbOption = None,
    pager: PagerOption = None,
) -> None:
    """Explain a procedure: the key points first, then section by section, with sources.

    Example: foracli explain open -s steps -s recovery --region neck
    """
    if brief and section:
        raise typer.BadParameter("--brief shows its own sections; leave out -s", param_hint="-s")
    commands.explain(
        _env(ctx),
        procedure=procedure,
        section=section,
        region=region,
        brief=brief,
        cite=cite,
        fmt=fmt,
        color=color,
        kb=kb,
        pager=pager,
    )


@app.command()
def compare(
    ctx: typer.Context,
    procedures: Annotated[
        list[str],
        typer.Argument(
            metavar="PROCEDURE",
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
            metavar="ASPECT",
            help="Show only this row (repeatable): " + ", ".join(a.key for a in ASPECTS) + ".",
            show_default=False,
            autocompletion=completion.complete_aspect,
        ),
    ] = None,
    bars: Annotated[
        bool,
        typer.Option("--bars/--no-bars", help="On a terminal, draw numbers as bars too."),
    ] = True,
    region: RegionOption = None,
    cite: SourcesOption = True,
    fmt: FormatOption = Format.AUTO,
    color: ColorOption = Color.AUTO,
    kb: KbOption = None,
    pager: PagerOption = None,
) -> None:
    """Compare procedures side by side, one row per aspect, with sources.

    Example: foracli compare open endoscopic
    """
    if len(procedures) < 2:
        raise typer.BadParameter(_words(ctx).text("usage.two-procedures"))
    commands.compare(
        _env(ctx),
        procedures=procedures,
        evidence=evidence,
        aspect=aspect,
        bars=bars,
        region=region,
        cite=cite,
        fmt=fmt,
        color=color,
        kb=kb,
        pager=pager,
    )


@app.command("list")
def list_command(
    ctx: typer.Context,
    fmt: FormatOption = Format.AUTO,
    color: ColorOption = Color.AUTO,
    kb: KbOption = None,
    pager: PagerOption = None,
) -> None:
    """List every procedure with its one-line summary.

    Example: foracli list
    """
    commands.list_procedures(_env(ctx), fmt=fmt, color=color, kb=kb, pager=pager)


@app.command()
def search(
    ctx: typer.Context,
    words: Annotated[
        list[str],
        typer.Argument(metavar="WORDS", help="What you want to know.", show_default=False),
    ],
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, metavar="N", help="At most this many hits.")
    ] = 20,
    region: RegionOption = None,
    fmt: FormatOption = Format.AUTO,
    color: ColorOption = Color.AUTO,
    kb: KbOption = None,
    pager: PagerOption = None,
) -> None:
    """Search every section, source title and glossary term, best match first.

    Example: foracli search how long off work
    """
    commands.search(
        _env(ctx),
        words=words,
        limit=limit,
        region=region,
        fmt=fmt,
        color=color,
        kb=kb,
        pager=pager,
    )


@app.command()
def ask(
    ctx: typer.Context,
    question: Annotated[
        list[str],
        typer.Argument(
            metavar="QUESTION", help="Your question, in your own words.", show_default=False
        ),
    ],
    region: RegionOption = None,
    fmt: FormatOption = Format.AUTO,
    color: ColorOption = Color.AUTO,
    kb: KbOption = None,
    pager: PagerOption = None,
) -> None:
    """Answer a question the way you would ask it: the best one to three answers.

    Example: foracli ask how long will I be off work after keyhole surgery
    """
    commands.ask(
        _env(ctx), question=question, region=region, fmt=fmt, color=color, kb=kb, pager=pager
    )


@app.command()
def glossary(
    ctx: typer.Context,
    term: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="TERM",
            help="One term to define.",
            show_default=False,
            autocompletion=completion.complete_term,
        ),
    ] = None,
    fmt: FormatOption = Format.AUTO,
    color: ColorOption = Color.AUTO,
    kb: KbOption = None,
    pager: PagerOption = None,
) -> None:
    """Plain meanings of the medical words foracli uses, or of one of them.

    Example: foracli glossary foramen
    """
    commands.glossary(_env(ctx), term=term, fmt=fmt, color=color, kb=kb, pager=pager)


@app.command()
def sources(
    ctx: typer.Context,
    procedure: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="PROCEDURE",
            help="Only the sources this procedure cites.",
            show_default=False,
            autocompletion=completion.complete_procedure,
        ),
    ] = None,
    fmt: FormatOption = Format.AUTO,
    color: ColorOption = Color.AUTO,
    kb: KbOption = None,
    pager: PagerOption = None,
) -> None:
    """List the bibliography: study, journal, DOI or PMID, and kind of evidence.

    Example: foracli sources endoscopic
    """
    commands.sources(_env(ctx), procedure=procedure, fmt=fmt, color=color, kb=kb, pager=pager)


@app.command()
def handout(
    ctx: typer.Context,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            show_default=False,
            help=(
                "File to write: .html/.htm (printable page) or .md/.markdown; "
                "- writes to standard output."
            ),
        ),
    ],
    procedure: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="PROCEDURE",
            help="Procedure id, name or alias (with --decide: the options, if not the usual).",
            show_default=False,
            autocompletion=completion.complete_procedure,
        ),
    ] = None,
    fmt: Annotated[
        HandoutFormat | None,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            metavar="FORMAT",
            show_default=False,
            help="html or markdown (default: from FILE's suffix; markdown for -).",
        ),
    ] = None,
    compare: Annotated[
        str | None,
        typer.Option(
            "--compare",
            metavar="PROCEDURE",
            show_default=False,
            help="Also compare with this procedure, row by row.",
            autocompletion=completion.complete_procedure,
        ),
    ] = None,
    region: RegionOption = None,
    full: Annotated[
        bool,
        typer.Option(
            "--full", help="Every section, not the short patient version (at most 4 pages)."
        ),
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    decide: Annotated[
        Path | None,
        typer.Option(
            "--decide",
            metavar="ANSWERS",
            show_default=False,
            help="The decision aid instead, with your answers file: grid, pictures, summary.",
        ),
    ] = None,
    kb: KbOption = None,
) -> None:
    """Write a printable handout for a patient: the short version for their region.

    Example: foracli handout endoscopic --compare open --region low-back -o handout.html
    """
    from foracli.app.handout import STDOUT, write_handout

    env = _env(ctx)
    if decide is None and not procedure:
        raise typer.BadParameter("give a procedure (or --decide ANSWERS)", param_hint="PROCEDURE")
    try:
        if decide is not None:
            from foracli.app.decide import write_decision

            written = write_decision(
                env.load(env.layers(kb)),
                decide,
                procedure or (),
                output=output,
                region=region,
                force=force,
                fmt=fmt.value if fmt else None,
                stdout=env.stdout,
            )
        else:
            written = write_handout(
                env.load(env.layers(kb)),
                " ".join(procedure or ()),
                output=output,
                compare_with=compare,
                force=force,
                region=region,
                full=full,
                fmt=fmt.value if fmt else None,
                stdout=env.stdout,
            )
    except ForacliError as error:
        _fail(error)
    except OSError as error:  # -o -: standard output could not take the page
        raise SystemExit(after_write_error(error)) from None
    if written != STDOUT:
        sys.stderr.write(f"foracli: wrote {written}\n")  # stdout stays data-only


@app.command()
def decide(
    ctx: typer.Context,
    options: Annotated[
        list[str] | None,
        typer.Argument(
            help="The options to weigh (default: the usual choices for the region).",
            show_default=False,
            autocompletion=completion.complete_procedure,
        ),
    ] = None,
    region: RegionOption = None,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            show_default=False,
            help="A YAML file of your answers (what matters, the SURE test); see the README.",
        ),
    ] = None,
    matters: Annotated[
        list[str] | None,
        typer.Option(
            "--matters",
            "-m",
            show_default=False,
            help="What matters to you: FACTOR or FACTOR=a-lot|a-little|not-much (repeatable).",
        ),
    ] = None,
    sure: Annotated[
        str | None,
        typer.Option(
            "--sure", show_default=False, help="Your four SURE answers, such as yes,yes,no,yes."
        ),
    ] = None,
    walk: Annotated[
        bool | None,
        typer.Option(
            "--walk/--no-walk",
            show_default=False,
            help="Ask what matters, one question at a time (default: on a terminal, "
            "unless answers are given).",
        ),
    ] = None,
    fmt: FormatOption = Format.AUTO,
    color: ColorOption = Color.AUTO,
    kb: KbOption = None,
    pager: PagerOption = None,
) -> None:
    """Weigh your options side by side: an option grid, risks out of 100, what matters
    to you, and a summary for your surgeon. Nothing you enter is kept.

    Example: foracli decide --region low-back --matters time-off-work
    """
    from foracli.app import decide as deciding

    try:
        chosen = deciding.parse_matters(matters or ())
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--matters") from None
    try:
        said = deciding.parse_sure(sure)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--sure") from None
    deciding.run(
        _env(ctx),
        options=options or (),
        region=region,
        answers_file=answers,
        matters=chosen,
        sure=said,
        walk=walk,
        fmt=fmt,
        color=color,
        kb=kb,
        pager=pager,
    )


@app.command()
def about(
    ctx: typer.Context,
    fmt: FormatOption = Format.AUTO,
    color: ColorOption = Color.AUTO,
    kb: KbOption = None,
) -> None:
    """Who wrote this information, how the evidence was chosen and graded, funding and
    conflicts of interest, and the review dates.

    Example: foracli about
    """
    from foracli.core.about import about as about_view

    commands.show(_env(ctx), about_view, kb, fmt, color)


@app.command()
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATH",
            help="Knowledge-base files or folders to check (default: the shipped one).",
            show_default=False,
            readable=False,  # the loader says "cannot read" itself, exit 3 (README)
        ),
    ] = None,
    fmt: Annotated[
        ProblemFormat,
        typer.Option(
            "--format", "-f", case_sensitive=False, metavar="FORMAT", help="How to list problems."
        ),
    ] = ProblemFormat.TEXT,
    strict: Annotated[bool, typer.Option(help="Treat warnings as errors.")] = False,
) -> None:
    """Check knowledge-base files without printing them: every problem, one per line.

    Example: foracli validate my-procedures/
    """
    w = content.words(_env(ctx).locale)
    try:
        problems = [w.problem(p) for p in validation.validate(paths or (), today=dt.date.today())]
    except ForacliError as error:
        _fail(error)
    failed = any(p.severity == "error" or strict for p in problems)
    if fmt is ProblemFormat.JSON:
        sys.stdout.write(validation_document(problems, ok=not failed))
    else:
        sys.stdout.writelines(f"{p}\n" for p in problems)
    sys.stderr.write(f"foracli: {w.summary(problems)}\n")
    if failed:
        raise typer.Exit(code=int(ExitCode.INVALID_KB))


@app.command()
def schema(
    asking: Annotated[
        bool, typer.Option("--asking", help="The schema of an asking: file instead.")
    ] = False,
) -> None:
    """Print the JSON Schema of a procedure file, for editors that validate YAML.

    Example: foracli schema > procedure.schema.json
    """
    from foracli.kb.schema import asking_schema, procedure_schema

    w = content.words()
    document = asking_schema() if asking else procedure_schema(w.section_title, w.aspect_label)
    sys.stdout.write(json.dumps(document, indent=2) + "\n")


@app.command("help")
def help_command(
    ctx: typer.Context,
    command: Annotated[
        str | None,
        typer.Argument(
            metavar="COMMAND",
            help="The command to explain (default: all of foracli).",
            show_default=False,
            autocompletion=completion.complete_command,
        ),
    ] = None,
) -> None:
    """Show how to use foracli, or one of its commands (the same as COMMAND --help).

    Example: foracli help explain
    """
    from foracli.app import usage

    root = ctx.find_root()
    group: Any = root.command
    if command is None:
        sys.stdout.write(root.get_help() + "\n")
        return
    target = group.get_command(root, command)
    if target is None:
        known = list(group.list_commands(root))
        raise typer.BadParameter(usage.unknown_command(command, known, _env(ctx).locale))
    sub = target.make_context(command, [], parent=root, resilient_parsing=True)
    sys.stdout.write(sub.get_help() + "\n")


_env = environment_of


def _words(ctx: typer.Context) -> content.Words:
    return content.words(_env(ctx).locale)


def _fail(error: ForacliError, locale: str = "en") -> NoReturn:
    commands.fail(error, locale)


class _GuardedStdout:
    """sys.stdout while Typer runs: a write that fails (a reader gone, a full disk)
    ends the run by app.streams' rule, not Typer's (exit 1 for a closed pipe, a
    traceback for anything else). The presenter guards its own writes the same way."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        try:
            return self.stream.write(text)
        except OSError as error:
            raise SystemExit(after_write_error(error)) from None

    def flush(self) -> None:
        try:
            self.stream.flush()
        except OSError as error:
            raise SystemExit(after_write_error(error)) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def _invoke(argv: list[str] | None, env: Environment | None) -> int:
    try:
        app(args=argv, obj=env)
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    return int(ExitCode.OK)


def run(argv: list[str] | None = None, env: Environment | None = None) -> int:
    """Run the app on *argv* with *env*; the exit status. Errors are one line on
    stderr; a closed pipe ends quietly (app.streams)."""
    # A stdout that cannot encode some text (PYTHONIOENCODING=ascii) shows '?'
    # rather than ending in a traceback.
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")
    real = sys.stdout
    sys.stdout = _GuardedStdout(real)
    try:
        code = _invoke(argv, env)
        try:
            real.flush()
        except OSError as error:
            code = after_write_error(error)
    finally:
        sys.stdout = real
    return code


def main() -> None:
    """Run the app on this process's arguments, without the speed layer."""
    from foracli.app.streams import stdout_missing

    if stdout_missing():
        sys.exit(1)
    sys.exit(run())
