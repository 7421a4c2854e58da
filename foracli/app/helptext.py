"""Help a person can read, from the Typer app itself: the `--help` screens and the man page.

Typer's own screens show Python types (`<list[str]>`), split choices mid-word and
draw boxes even into a pipe. Here each command's Click parameters become a `Page`
(usage, text, arguments, options with their metavars in words, the values they
accept, their defaults, and the examples from the docstring), which
`HelpCommand`/`HelpGroup` write as plain text and `app.manpage` writes as roff.
Nothing is hand-copied: a new option shows up in both.
"""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from typing import Any

import typer
import typer.core
from typer.models import CommandFunctionType

from foracli.content import words
from foracli.core.record import record

EXAMPLE_LABELS = ("Example:", "Examples:")


@record
class Entry:
    """One row of a help list: what is typed (`-s, --section SECTION`) and what it does."""

    term: str
    text: str


@record
class Page:
    """Everything one command's help says, before it is laid out."""

    path: str  # "foracli explain"
    usage: str  # "[OPTIONS] [PROCEDURE]..."
    text: tuple[str, ...]  # paragraphs; the first is the summary
    arguments: tuple[Entry, ...]
    options: tuple[Entry, ...]
    commands: tuple[Entry, ...]
    examples: tuple[str, ...]


def metavar(param: Any) -> str:
    """The word a parameter's value is shown as: its metavar, else its name in capitals."""
    name = str(param.metavar or (param.name or "").upper())
    if param.param_type_name == "argument" and param.nargs != 1:
        name += "..."
    return name


def _choices(param: Any) -> list[str]:
    descriptor = getattr(param, "type_descriptor", None)
    found = (
        getattr(descriptor, "choices", None)
        or getattr(getattr(param, "type", None), "choices", None)
        or ()
    )
    return [c.value if isinstance(c, Enum) else str(c) for c in found]


def _default(param: Any) -> str | None:
    """The default worth showing, in the words a user types; None for none."""
    if not param.show_default or param.required:
        return None
    value = param.default
    if param.param_type_name == "option" and param.is_flag:
        if not param.secondary_opts:
            return None  # a plain flag is off unless given
        return (param.opts if value else param.secondary_opts)[0] if value is not None else None
    if value is None or value == [] or value == ():
        return None
    return str(value.value if isinstance(value, Enum) else value)


def _option_term(param: Any) -> str:
    spellings = sorted(param.opts, key=lambda o: (o.startswith("--"), o))
    term = ", ".join(spellings)
    if param.is_flag and param.secondary_opts:
        term += " / " + ", ".join(param.secondary_opts)
    elif not param.is_flag:
        term += f" {metavar(param)}"
    return term


def _explained(param: Any, locale: str) -> str:
    """The parameter's help, then the values it accepts and its default."""
    w = words(locale)
    text = (param.help or "").strip()
    extra = []
    choices = _choices(param)
    if choices:
        extra.append(w.text("help.one-of", choices=", ".join(choices)))
    default = _default(param)
    if default is not None:
        extra.append(w.text("help.default", value=default))
    minimum = getattr(param, "min", None)
    if minimum is not None:
        extra.append(w.text("help.at-least", value=minimum))
    if param.required and param.param_type_name == "option":
        extra.append(w.text("help.required"))
    if extra:
        text = f"{text} [{'; '.join(extra)}]" if text else f"[{'; '.join(extra)}]"
    return text


def _paragraphs(doc: str | None) -> tuple[list[str], list[str]]:
    """(paragraphs, example command lines) of a docstring."""
    text = inspect.cleandoc(doc or "").partition("\f")[0]
    paragraphs, examples = [], []
    for block in (b.strip() for b in text.split("\n\n")):
        if not block:
            continue
        label = next((x for x in EXAMPLE_LABELS if block.startswith(x)), None)
        if label is None:
            paragraphs.append(" ".join(block.split()))
        else:
            lines = block[len(label) :].strip().splitlines()
            examples += [line.strip() for line in lines if line.strip()]
    return paragraphs, examples


def usage_pieces(command: Any, ctx: Any) -> str:
    """The usage line after the command path, in Click's shape with our metavars:
    `[OPTIONS] PROCEDURE...` (required), `[PROCEDURE]...` (optional)."""
    pieces = [command.options_metavar] if command.options_metavar else []
    for param in command.get_params(ctx):
        if param.param_type_name != "argument":
            continue
        name = str(param.metavar or (param.name or "").upper())
        shown = name if param.required else f"[{name}]"
        pieces.append(shown + ("..." if param.nargs != 1 else ""))
    if isinstance(command, typer.core.TyperGroup):
        pieces.append("COMMAND [ARGS]...")
    return " ".join(pieces)


def page_of(command: Any, ctx: Any, locale: str = "en") -> Page:
    """The help page of *command*, read from its Click parameters."""
    paragraphs, examples = _paragraphs(command.help)
    epilog, more = _paragraphs(command.epilog)
    arguments, options = [], []
    for param in command.get_params(ctx):
        if getattr(param, "hidden", False):
            continue
        if param.param_type_name == "argument":
            arguments.append(Entry(metavar(param), _explained(param, locale)))
        else:
            options.append(Entry(_option_term(param), _explained(param, locale)))
    commands = []
    if isinstance(command, typer.core.TyperGroup):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                commands.append(Entry(name, _paragraphs(sub.help)[0][0]))
    return Page(
        path=ctx.command_path,
        usage=usage_pieces(command, ctx),
        text=tuple(paragraphs + epilog),
        arguments=tuple(arguments),
        options=tuple(options),
        commands=tuple(commands),
        examples=tuple(examples + more),
    )


def write_page(page: Page, formatter: Any, locale: str = "en") -> None:
    """Lay *page* out as plain text in a Click HelpFormatter: no boxes, no styles."""
    w = words(locale)
    formatter.write_usage(page.path, page.usage, prefix=w.text("help.usage") + " ")
    for paragraph in page.text:
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(paragraph)
    for heading, entries in (
        ("help.arguments", page.arguments),
        ("help.options", page.options),
        ("help.commands", page.commands),
    ):
        if entries:
            with formatter.section(w.text(heading)):
                write_entries(formatter, entries)
    if page.examples:
        heading = "help.example" if len(page.examples) == 1 else "help.examples"
        with formatter.section(w.text(heading)):
            # Examples are typed as shown: never rewrapped.
            for line in page.examples:
                formatter.write(f"{'':>{formatter.current_indent}}{line}\n")


def write_entries(formatter: Any, entries: Sequence[Entry], widest: int = 30) -> None:
    """A two-column list, as Click's write_dl lays it out, but never breaking a line
    inside a word or at its hyphens (`key-points` is typed whole)."""
    indent = formatter.current_indent
    column = min(max(len(e.term) for e in entries), widest) + 2
    width = max(formatter.width - indent - column, 20)
    for entry in entries:
        lines = textwrap.wrap(
            entry.text, width, break_on_hyphens=False, break_long_words=False
        ) or [""]
        if len(entry.term) + 2 > column:
            formatter.write(f"{'':>{indent}}{entry.term}\n")
            first = f"{'':>{indent + column}}{lines[0]}"
        else:
            first = f"{'':>{indent}}{entry.term:<{column}}{lines[0]}"
        formatter.write(first.rstrip() + "\n")
        for line in lines[1:]:
            formatter.write(f"{'':>{indent + column}}{line}\n")


def _write_usage(command: Any, ctx: Any, formatter: Any) -> None:
    formatter.write_usage(
        ctx.command_path, usage_pieces(command, ctx), prefix=words().text("help.usage") + " "
    )


class HelpCommand(typer.core.TyperCommand):
    """A Typer command whose help is a `Page` in plain text."""

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        _write_usage(self, ctx, formatter)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        write_page(page_of(self, ctx), formatter)


class HelpGroup(typer.core.TyperGroup):
    """The Typer group, with the same plain help as its commands."""

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        _write_usage(self, ctx, formatter)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        write_page(page_of(self, ctx), formatter)


class App(typer.Typer):
    """typer.Typer whose commands default to HelpCommand, so a command added later gets
    the same help without remembering to ask for it."""

    def command(
        self,
        name: str | None = None,
        *,
        cls: type[typer.core.TyperCommand] | None = None,
        **kwargs: Any,
    ) -> Callable[[CommandFunctionType], CommandFunctionType]:
        return super().command(name, cls=cls or HelpCommand, **kwargs)


def pages(group: Any, prog: str = "foracli") -> Iterable[tuple[Any, Page]]:
    """(Click command, its page) for the group and then each visible command, in order."""
    root = group.make_context(prog, [], resilient_parsing=True)
    yield group, page_of(group, root)
    for name in group.list_commands(root):
        command = group.get_command(root, name)
        if command is None or command.hidden:
            continue
        sub = command.make_context(name, [], parent=root, resilient_parsing=True)
        yield command, page_of(command, sub)


def command_names(group: Any) -> Sequence[str]:
    """The visible command names of *group*, in the order help lists them."""
    root = group.make_context("foracli", [], resilient_parsing=True)
    return [n for n in group.list_commands(root) if not group.get_command(root, n).hidden]
