"""The command line of the commands that run without Typer, as data.

Typer stays the one definition of the command line: this is a copy that the
replay and the direct path read without importing Typer, and `tests/test_grammar.py`
compares it with the Typer app, option by option, so it cannot drift. Anything
this grammar does not plainly understand (help, `--`, joined short options, an
option of another command) is left to Typer.

No imports: the replay path reads it on every start.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from collections.abc import Sequence

# How an option takes its value: VALUE (the last one given wins), VALUES (each one
# is kept, in order), or a flag that sets True or False (the last one given wins).
VALUE, VALUES, ON, OFF = "value", "values", "on", "off"

_OUTPUT = {
    "--format": ("fmt", VALUE),
    "-f": ("fmt", VALUE),
    "--color": ("color", VALUE),
    "--kb": ("kb", VALUES),
}
_PAGER = {"--pager": ("pager", ON), "--no-pager": ("pager", OFF)}
_REGION = {"--region": ("region", VALUE), "-r": ("region", VALUE)}
_SOURCES = {"--sources": ("cite", ON), "--no-sources": ("cite", OFF)}

# Per command: each option spelling -> (parameter, how), and the positional parameter.
OPTIONS: dict[str, dict[str, tuple[str, str]]] = {
    "explain": {
        "--section": ("section", VALUES),
        "-s": ("section", VALUES),
        "--brief": ("brief", ON),
        **_REGION,
        **_SOURCES,
        **_OUTPUT,
        **_PAGER,
    },
    "compare": {
        "--evidence": ("evidence", ON),
        "--aspect": ("aspect", VALUES),
        "-a": ("aspect", VALUES),
        "--bars": ("bars", ON),
        "--no-bars": ("bars", OFF),
        **_REGION,
        **_SOURCES,
        **_OUTPUT,
        **_PAGER,
    },
    "list": {**_OUTPUT, **_PAGER},
    "search": {
        "--limit": ("limit", VALUE),
        "-n": ("limit", VALUE),
        **_REGION,
        **_OUTPUT,
        **_PAGER,
    },
    "ask": {**_REGION, **_OUTPUT, **_PAGER},
    "glossary": {**_OUTPUT, **_PAGER},
    "sources": {**_OUTPUT, **_PAGER},
}
POSITIONAL = {
    "explain": "procedure",
    "compare": "procedures",
    "list": None,
    "search": "words",
    "ask": "question",
    "glossary": "term",
    "sources": "procedure",
}
COMMANDS = frozenset(OPTIONS)
# Always run through Typer, never replayed: decide's answers must never reach a cache.
OTHER_COMMANDS = frozenset({"validate", "schema", "handout", "help", "decide", "about"})
HELP = frozenset({"--help", "-h"})


def parse(command: str, argv: Sequence[str]) -> tuple[dict[str, object], list[str]] | None:
    """(options by parameter name, positional words) of *command*'s *argv*, the way
    Click reads them; None when any token is not plainly understood."""
    spec = OPTIONS.get(command)
    if spec is None:
        return None
    found: dict[str, object] = {}
    words: list[str] = []
    i = 0
    while i < len(argv):
        token = argv[i]
        name, eq, attached = token.partition("=")
        if token == "--" or token in HELP:
            return None
        if token.startswith("--") and eq and spec.get(name, ("", ""))[1] in (VALUE, VALUES):
            option, value = spec[name], attached
        elif token in spec and spec[token][1] in (VALUE, VALUES):
            if i + 1 >= len(argv):
                return None  # Click's "requires an argument": its words, not ours
            option, value = spec[token], argv[i + 1]
            i += 1
        elif token in spec:
            option, value = spec[token], ""
        elif token.startswith("-") and token != "-":
            return None
        else:
            words.append(token)
            i += 1
            continue
        parameter, how = option
        if how == VALUES:
            found.setdefault(parameter, []).append(value)  # type: ignore[attr-defined]
        else:
            found[parameter] = {VALUE: value, ON: True, OFF: False}[how]
        i += 1
    return found, words
