"""Usage errors in plain words: one `foracli:` line for whatever Typer (Click) refuses.

Click's own report is a usage line, a hint and an `Error:` line (Typer's is a
Rich box, with pydantic's "Value error, 'yaml' is not one of ..."). Here each kind
of refusal is worded from its data (the option, the value, the choices) with
content's words, suggests close matches and ends with where to read more:
`foracli: unknown option '--sect'; did you mean '--section'? Try 'foracli explain --help'.`
Exceptions are told apart by class name, so this reads Typer's vendored Click and
Click itself alike.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from foracli.app.helptext import HelpGroup, _choices, metavar
from foracli.content import Words, words

PROG = "foracli"
USAGE_EXIT = 2


def _kinds(error: BaseException) -> set[str]:
    return {cls.__name__ for cls in type(error).__mro__}


def _param_named(command: Any, option: str) -> Any:
    for param in getattr(command, "params", ()):
        if option in (*param.opts, *getattr(param, "secondary_opts", ())):
            return param
    return None


def _suggest(w: Words, message: str, typed: str, known: list[str]) -> str:
    close = difflib.get_close_matches(typed, known, n=3)
    if not close:
        return message
    choices = w.text("error.or").join(f"'{c}'" for c in close)
    return w.text("error.did-you-mean", message=message, choices=choices)


def _given_value(error: Any) -> str | None:
    """The value the user typed, from the validation error behind a bad parameter."""
    cause = error.__cause__
    errors = getattr(cause, "errors", None)
    if callable(errors):
        try:
            found = errors()
        except Exception:  # a library's own error object: never let it hide the message
            found = []
        if found and isinstance(found[0], dict) and isinstance(found[0].get("input"), str):
            return str(found[0]["input"])
    match = re.search(r"'([^']*)' is not one of", str(getattr(error, "message", "")))
    return match.group(1) if match else None


def _option_name(param: Any) -> str:
    return str(max(param.opts, key=len)) if param.opts else metavar(param)


def _bad_parameter(w: Words, error: Any) -> str:
    param = error.param
    if param is None:
        return str(error.message)  # raised by foracli itself, already in its words
    value = _given_value(error)
    choices = _choices(param)
    name = _option_name(param)
    if choices and value is not None:
        message = w.text(
            "usage.bad-choice",
            value=value,
            option=name,
            choices=", ".join(choices),
        )
        return _suggest(w, message, value.casefold(), choices)
    minimum = getattr(param, "min", None)
    if minimum is not None:
        shown = value if value is not None else ""
        return w.text("usage.whole-number", option=name, minimum=minimum, value=shown)
    return w.text("usage.bad-value", option=name)


def describe(
    error: BaseException, where: tuple[str, Any] = ("foracli", None), locale: str = "en"
) -> str:
    """The one line (without `foracli: `) for a usage error Click raised. *where* is
    (command path, Click command) of the command the words name, for the errors
    Click's parser raises without a context."""
    w = words(locale)
    kinds = _kinds(error)
    ctx: Any = getattr(error, "ctx", None)
    path, command = (ctx.command_path, ctx.command) if ctx is not None else where
    raw = str(getattr(error, "message", "") or error)
    if "NoSuchOption" in kinds:
        typed = str(getattr(error, "option_name", ""))
        known = [o for p in getattr(command, "params", ()) for o in p.opts]
        message = _suggest(w, w.text("usage.no-such-option", option=typed), typed, known)
    elif "BadOptionUsage" in kinds and "requires an argument" in raw:
        option = str(getattr(error, "option_name", ""))
        param = _param_named(command, option)
        shown = metavar(param) if param is not None else "?"
        message = w.text("usage.needs-value", option=option, metavar=shown)
    elif "MissingParameter" in kinds and getattr(error, "param", None) is not None:
        param = error.param  # type: ignore[attr-defined]
        if param.param_type_name == "argument":
            message = w.text("usage.missing-argument", metavar=metavar(param))
        else:
            message = w.text(
                "usage.missing-option", option=_option_name(param), metavar=metavar(param)
            )
    elif "BadParameter" in kinds:
        message = _bad_parameter(w, error)
    elif match := re.match(r"No such command '([^']*)'", raw):
        message = unknown_command(match.group(1), list(getattr(command, "commands", {})), locale)
    elif match := re.match(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", raw):
        message = w.text("usage.extra", words=match.group(1))
    elif raw.startswith("Missing command"):
        message = w.text("usage.missing-command")
    else:
        message = raw.rstrip(".")
    return with_hint(message, path, locale)


def unknown_command(typed: str, known: list[str], locale: str = "en") -> str:
    """'unknown command' for *typed*, with the close matches among *known*."""
    w = words(locale)
    return _suggest(w, w.text("usage.no-such-command", command=typed), typed, known)


def with_hint(message: str, command_path: str, locale: str = "en") -> str:
    """*message*, then where to read how the command is used."""
    end = "" if message.endswith(("?", ".", "!")) else "."
    return message + end + " " + words(locale).text("usage.try", command=command_path)


def _named_command(group: Any, argv: Sequence[str]) -> tuple[str, Any]:
    """(command path, Click command) of the command *argv* names, else the group's."""
    for word in argv:
        if word in group.commands:
            return f"{PROG} {word}", group.commands[word]
        if not word.startswith("-"):
            break
    return PROG, group


class Group(HelpGroup):
    """The app's group: Click's refusals end as one `foracli:` line (and exit 2)
    however the app is run (the launcher, `python -m`, a test's CliRunner)."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        call = super().main
        if not standalone_mode:
            return call(argv, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            result = call(argv, prog_name or PROG, complete_var, standalone_mode=False, **extra)
        except Exception as error:
            self._refuse(error, argv)
        sys.exit(result if isinstance(result, int) else 0)

    def _refuse(self, error: Exception, argv: list[str]) -> NoReturn:
        kinds = _kinds(error)
        if "NoArgsIsHelpError" in kinds:
            # A bare `foracli` shows what it can do, as a usage error does (exit 2).
            sys.stdout.write(str(getattr(error, "message", "")) + "\n")
            sys.exit(USAGE_EXIT)
        if "ClickException" in kinds:
            sys.stderr.write(f"foracli: {describe(error, _named_command(self, argv))}\n")
            sys.exit(int(getattr(error, "exit_code", 1)))
        if "Abort" in kinds:  # Ctrl-D at a prompt
            sys.stderr.write(f"foracli: {words().text('usage.aborted')}\n")
            sys.exit(1)
        raise error
