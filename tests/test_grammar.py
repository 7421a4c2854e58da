"""The replay path's command-line grammar is a copy that must not drift: it is read
here from the Typer app itself and compared with the fast path's tables."""

from __future__ import annotations

import typer.main

from foracli.app.cli import app
from foracli.speed import fastpath


def grammar() -> tuple[set[str], set[str], set[str], dict[str, str]]:
    """(commands, value options, flag options, other spelling -> main spelling) of the
    app, for the commands the fast path replays (value and flag sets), from Click."""
    group = typer.main.get_command(app)
    assert hasattr(group, "commands")  # a group (Typer carries its own Click)
    commands = set(group.commands)
    values: set[str] = set()
    flags: set[str] = set()
    same: dict[str, str] = {}
    for name in fastpath.COMMANDS:
        for param in group.commands[name].params:
            if param.param_type_name != "option" or param.name == "help":
                continue
            spellings = [*param.opts, *param.secondary_opts]
            main = max(param.opts, key=len)
            (flags if param.is_flag else values).update(spellings)
            same.update({s: main for s in spellings if s != main})
    return commands, values, flags, same


def test_the_fast_path_knows_every_command_of_the_app():
    """A new command is either replayed or named as one the fast path leaves to Typer."""
    commands, *_ = grammar()
    assert commands == set(fastpath.ALL_COMMANDS)
    assert commands >= fastpath.COMMANDS


def test_the_fast_path_parses_options_exactly_as_the_app_declares_them():
    """Every option of a replayed command, with every spelling, and whether it takes
    a value: a new or renamed option fails here until the fast path knows it."""
    _, values, flags, same = grammar()
    assert values == set(fastpath.VALUE_OPTIONS)
    assert flags == set(fastpath.FLAG_OPTIONS)
    assert same == fastpath.SAME


def test_help_spellings_match_the_app():
    """The fast path treats exactly the app's help options as help."""
    assert set((app.info.context_settings or {})["help_option_names"]) == set(fastpath.HELP)
