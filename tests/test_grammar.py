"""The grammar the replay and the direct path read without Typer is a copy that must
not drift: it is read here from the Typer app itself and compared, per command."""

from __future__ import annotations

import typer.main

from foracli.app import grammar
from foracli.app.cli import app
from foracli.speed import fastpath


def app_grammar() -> tuple[set[str], dict[str, dict[str, tuple[str, str]]], dict[str, str | None]]:
    """(every command, options per command as grammar.OPTIONS spells them, the
    positional parameter per command), from the Typer app's Click commands."""
    group = typer.main.get_command(app)
    commands = group.commands  # type: ignore[attr-defined]
    options: dict[str, dict[str, tuple[str, str]]] = {}
    positional: dict[str, str | None] = {}
    for name in grammar.COMMANDS:
        spec: dict[str, tuple[str, str]] = {}
        positional[name] = None
        for param in commands[name].params:
            if param.param_type_name == "argument":
                positional[name] = param.name
                continue
            if param.name == "help":
                continue
            if param.is_flag:
                spec.update(dict.fromkeys(param.opts, (param.name, grammar.ON)))
                spec.update(dict.fromkeys(param.secondary_opts, (param.name, grammar.OFF)))
            else:
                how = grammar.VALUES if param.multiple else grammar.VALUE
                spec.update(dict.fromkeys(param.opts, (param.name, how)))
        options[name] = spec
    return set(commands), options, positional


def test_every_command_of_the_app_is_known():
    """A new command is either in the grammar or named as one left to Typer."""
    commands, _, _ = app_grammar()
    assert commands == set(grammar.COMMANDS | grammar.OTHER_COMMANDS)
    assert commands == fastpath.ALL_COMMANDS


def test_the_grammar_matches_every_option_of_the_app():
    """Every option of every command, every spelling, and how it takes its value: a new,
    renamed or changed option fails here until the grammar knows it."""
    _, options, positional = app_grammar()
    assert options == grammar.OPTIONS
    assert positional == grammar.POSITIONAL


def test_help_spellings_match_the_app():
    """The grammar treats exactly the app's help options as help."""
    assert set((app.info.context_settings or {})["help_option_names"]) == set(grammar.HELP)


def test_parse_reads_argv_as_click_does():
    """Values attached or apart, repeats kept or last-wins, flags and their opposites."""
    assert grammar.parse(
        "compare", ["open", "-a", "stay", "--aspect=work", "--no-bars", "endo", "-f", "TEXT"]
    ) == ({"aspect": ["stay", "work"], "bars": False, "fmt": "TEXT"}, ["open", "endo"])
    assert grammar.parse("explain", ["-s", "--format"]) == ({"section": ["--format"]}, [])
    assert grammar.parse("explain", ["--pager", "--no-pager"]) == ({"pager": False}, [])
    for unsure in (["-h"], ["--", "x"], ["-sfoo"], ["--evidence"], ["-s"], ["--sect", "x"]):
        assert grammar.parse("explain", unsure) is None, unsure
    assert grammar.parse("list", ["-"]) == ({}, ["-"])
