"""A good citizen of the shell (issue 16), through real processes: every expected
failure is one `foracli:` line with its exit code, help reads as text, the pipe
rules hold on every path (first run, direct path, replay)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = str(Path(sys.executable).parent / "foracli")


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    # Nothing of the caller's terminal: colour, width, or what says it shows links.
    dropped = {"NO_COLOR", "FORCE_COLOR", "COLUMNS", "FORCE_HYPERLINK", "TERM_PROGRAM"}
    dropped |= {"VTE_VERSION", "KONSOLE_VERSION", "WT_SESSION", "KITTY_WINDOW_ID", "DOMTERM"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    return {**env, "TERM": "xterm-256color", **(extra or {})}


def run(
    argv: list[str], *, stdout=subprocess.PIPE, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SCRIPT, *argv],
        stdin=subprocess.DEVNULL,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(env),
        timeout=120,
    )


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    """The single stderr line (asserting there is exactly one and no traceback)."""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert result.stderr.endswith("\n")
    assert lines[0].startswith("foracli: ")
    return lines[0]


TRY = "Try 'foracli {}--help'."
# (argv, exit status, the stderr line exactly)
USAGE_AND_LOOKUP = [
    (["compare", "open"], 2, "compare needs at least two procedures. " + TRY.format("compare ")),
    (["search"], 2, "missing WORDS... " + TRY.format("search ")),
    (
        ["explain", "--format", "yaml"],
        2,
        "'yaml' is not a choice for --format (choose auto, rich, text, markdown, json). "
        + TRY.format("explain "),
    ),
    (
        ["explain", "-f", "jsn"],
        2,
        "'jsn' is not a choice for --format (choose auto, rich, text, markdown, json); "
        "did you mean 'json'? " + TRY.format("explain "),
    ),
    (["explain", "-s"], 2, "option '-s' needs a value: SECTION. " + TRY.format("explain ")),
    (
        ["explain", "--sect", "what"],
        2,
        "unknown option '--sect'; did you mean '--section'? " + TRY.format("explain "),
    ),
    (
        ["search", "nerve", "-n", "0"],
        2,
        "--limit takes a whole number of at least 1, not '0'. " + TRY.format("search "),
    ),
    (["list", "extra"], 2, "unexpected extra words: extra. " + TRY.format("list ")),
    (["explian"], 2, "unknown command 'explian'; did you mean 'explain'? " + TRY.format("")),
    (["handout", "open"], 2, "missing option --output FILE. " + TRY.format("handout ")),
    (
        ["validate", "-f", "markdown"],
        2,
        "'markdown' is not a choice for --format (choose text, json). " + TRY.format("validate "),
    ),
    (
        ["compare", "open", "open"],
        2,
        "'open' is given twice; compare two different procedures. " + TRY.format("compare "),
    ),
    (
        ["compare", "open", "endoscopic", "open-foraminotomy"],
        2,
        "'open' and 'open-foraminotomy' are both Open foraminotomy; compare two different "
        "procedures. " + TRY.format("compare "),
    ),
    (
        ["help", "explian"],
        2,
        "unknown command 'explian'; did you mean 'explain'? " + TRY.format("help "),
    ),
    (
        ["explain", "open", "endoscopic"],
        2,
        "explain shows one procedure; to set these side by side, run 'foracli compare open "
        "endoscopic'. " + TRY.format("explain "),
    ),
    (["explain", "opn"], 1, "unknown procedure 'opn'; did you mean 'open'?"),
    (
        ["glossary", "foramin"],
        1,
        "unknown term 'foramin'; did you mean 'foramen' or 'foraminotomy' or 'transforaminal'?",
    ),
    (
        ["explain", "--kb", "/no/such.yaml"],
        1,
        "no such knowledge-base file or folder: /no/such.yaml",
    ),
]


@pytest.mark.parametrize(
    ("argv", "code", "line"),
    USAGE_AND_LOOKUP,
    ids=lambda v: " ".join(v) if isinstance(v, list) else "",
)
def test_every_refusal_is_one_plain_line(argv, code, line, tmp_path):
    """Usage errors and unknown names: one line, the documented code, stdout empty,
    no Rich box and no pydantic wording. Twice: first run, then whatever a second run
    takes (errors are never replayed, so both must say the same)."""
    env = {"FORACLI_CACHE_DIR": str(tmp_path)}
    for _ in range(2):
        result = run(argv, env=env)
        assert (result.returncode, result.stdout) == (code, "")
        assert one_line(result) == f"foracli: {line}"
        assert "Value error" not in result.stderr
        assert not re.search(r"[\u2500-\u257f]", result.stderr)


WRITERS = [
    ["explain"],
    ["list"],
    ["compare", "open", "endoscopic", "--evidence", "-f", "json"],
    ["search", "nerve"],
    ["--help"],
    ["explain", "--help"],
    ["help", "compare"],
    ["schema"],
    ["handout", "open", "-o", "-"],
    ["--version"],
]


@pytest.mark.parametrize("argv", WRITERS, ids=lambda v: " ".join(v) or "(none)")
@pytest.mark.parametrize("cache", ["no cache", "replayed"])
def test_a_full_disk_is_one_line_and_exit_1(argv, cache, tmp_path):
    """`> /dev/full`: the write error in words, exit 1, on the full run and the replay."""
    env = {"FORACLI_CACHE_DIR": str(tmp_path)}
    if cache == "no cache":
        env["FORACLI_NO_CACHE"] = "1"
    else:
        with open(os.devnull, "w") as sink:  # a first run records what a replay writes
            assert run(argv, stdout=sink, env=env).returncode == 0
    with open("/dev/full", "w") as full:
        result = run(argv, stdout=full, env=env)
    assert result.returncode == 1
    assert one_line(result) == "foracli: cannot write to standard output: No space left on device"


def test_the_full_disk_case_really_is_replayed(tmp_path):
    """The replay path (no Typer imported) meets /dev/full and words it the same way."""
    env = {"FORACLI_CACHE_DIR": str(tmp_path)}
    with open(os.devnull, "w") as sink:
        assert run(["list"], stdout=sink, env=env).returncode == 0
    with open("/dev/full", "w") as full:
        result = run(["list"], stdout=full, env={**env, "PYTHONPROFILEIMPORTTIME": "1"})
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    assert "typer" not in imported
    assert "foracli: cannot write to standard output: No space left on device" in imported
    assert result.returncode == 1


def test_a_closed_stdout_is_said_and_nothing_runs(tmp_path):
    """`foracli explain >&-`: one line, exit 1, and no file opened in its place gets
    the output (the cache folder stays empty)."""
    cache = tmp_path / "cache"
    result = subprocess.run(
        ["bash", "-c", f"{SCRIPT} explain >&-"],
        capture_output=True,
        text=True,
        env=_env({"FORACLI_CACHE_DIR": str(cache)}),
        timeout=60,
    )
    assert result.returncode == 1
    assert one_line(result) == (
        "foracli: standard output is closed; give foracli somewhere to write"
    )
    assert not cache.exists() or not any(cache.iterdir())


def test_a_read_only_stdout_is_one_line():
    """stdout opened for reading only: EBADF in words, exit 1."""
    with open(os.devnull) as read_only:
        result = run(["list"], stdout=read_only, env={"FORACLI_NO_CACHE": "1"})
    assert result.returncode == 1
    assert one_line(result) == "foracli: cannot write to standard output: Bad file descriptor"


@pytest.mark.parametrize(
    "argv",
    [
        ["compare", "open", "endoscopic", "tubular", "acdf", "--evidence", "-f", "json"],
        ["explain", "open", "-s", "what"],
        ["--help"],
    ],
    ids=lambda v: " ".join(v),
)
def test_a_closed_pipe_exits_0_whatever_the_size(argv, tmp_path):
    """`| head -c 10`: exit 0 for a large output (the reader's close is seen) as for a
    small one (it is not), first run and replay alike; nothing on stderr."""
    for _ in range(2):  # the second run is a replay where the first was recorded
        result = subprocess.run(
            [
                "bash",
                "-c",
                f"{SCRIPT} {' '.join(argv)} 2>err.txt | head -c 10 >/dev/null;"
                " echo ${PIPESTATUS[0]}",
            ],
            capture_output=True,
            text=True,
            env=_env({"FORACLI_CACHE_DIR": str(tmp_path / "cache")}),
            cwd=tmp_path,
            timeout=120,
        )
        assert result.stdout == "0\n"
        assert (tmp_path / "err.txt").read_text() == ""


def test_an_unwritable_handout_names_the_file_and_why(tmp_path):
    """A target that cannot be written: which file and why, exit 1. (A folder without
    write permission cannot be shown: the tests run as root, who writes anyway.)"""
    missing = tmp_path / "nowhere" / "x.html"
    result = run(["handout", "open", "-o", str(missing)])
    assert result.returncode == 1
    assert one_line(result) == (
        f"foracli: cannot write '{missing}': folder '{missing.parent}' does not exist"
    )
    result = run(["handout", "open", "-o", "/dev/full", "-f", "html", "--force"])
    assert result.returncode == 1
    assert one_line(result) == (
        "foracli: '/dev/full' is not a regular file; name a file, or use -o - for standard output"
    )
    assert os.path.exists("/dev/full")
    assert not os.path.isfile("/dev/full")


def test_a_handout_that_fails_midway_leaves_nothing(tmp_path, monkeypatch):
    """A write that fails while the page is written (a full disk) leaves neither the
    target nor its temporary file."""
    from foracli.app import handout
    from foracli.core.errors import HandoutError
    from foracli.kb.loader import load_knowledge_base

    def full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(handout.os, "fsync", full)
    target = tmp_path / "page.html"
    with pytest.raises(HandoutError) as caught:
        handout.write_handout(load_knowledge_base(), "open", output=target)
    assert caught.value.key == "cannot-write"
    assert caught.value.fields["reason"] == "No space left on device"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("argv", "start"),
    [
        (["handout", "open", "-o", "-"], "# Open foraminotomy\n"),
        (["handout", "open", "-o", "-", "-f", "html"], "<!DOCTYPE html>\n"),
    ],
)
def test_handout_to_standard_output(argv, start):
    """`-o -` writes the page to stdout (Markdown unless --format html) and says nothing."""
    result = run(argv)
    assert result.returncode == 0
    assert result.stdout.startswith(start)
    assert result.stderr == ""


# Help: metavars in words, accepted values listed, an example last, nothing drawn.
HELP_COMMANDS = [
    "explain",
    "compare",
    "list",
    "search",
    "glossary",
    "sources",
    "handout",
    "validate",
    "schema",
    "help",
]


@pytest.mark.parametrize("command", HELP_COMMANDS)
def test_help_reads_as_text(command):
    """No Python types, no boxes, no split words; an example as the last thing."""
    result = run([command, "--help"], env={"COLUMNS": "80"})
    assert result.returncode == 0
    text = result.stdout
    assert not re.search(r"<[a-z]+[\[\] a-z|]*>", text)  # <list[str]>, <bool>, <int range>
    assert not re.search(r"[\u2500-\u257f]", text)
    assert "\x1b" not in text
    assert max(len(line) for line in text.splitlines()) <= 80
    assert re.search(r"\nExamples?:\n(  foracli .+\n)+$", text)


def test_help_names_values_where_they_are_accepted():
    """explain lists its sections, compare its aspects, validate only what it writes."""
    from foracli.core.model import ASPECTS, SECTIONS

    explain = " ".join(run(["explain", "--help"]).stdout.split())
    assert all(s.key in explain for s in SECTIONS)
    assert "-s, --section SECTION" in explain
    assert "-f, --format FORMAT" in explain
    assert "--kb PATH" in explain
    compare = " ".join(run(["compare", "--help"]).stdout.split())
    assert all(a.key in compare for a in ASPECTS)
    search = " ".join(run(["search", "--help"]).stdout.split())
    assert "-n, --limit N" in search
    validate = run(["validate", "--help"]).stdout
    assert "one of: text, json" in validate
    assert "markdown" not in validate


def test_the_same_job_has_the_same_option_everywhere():
    """Every command that pages takes --pager/--no-pager; each --format offers only
    what its command writes."""
    for command in ["explain", "compare", "list", "search", "glossary", "sources"]:
        assert "--pager / --no-pager" in run([command, "--help"]).stdout, command
    assert "one of: html, markdown" in run(["handout", "--help"]).stdout


@pytest.mark.parametrize("command", [[], ["explain"], ["handout"]], ids=str)
def test_help_command_is_the_same_as_dash_dash_help(command):
    """`foracli help [COMMAND]` prints what `foracli [COMMAND] --help` prints."""
    assert run(["help", *command]).stdout == run([*command, "--help"]).stdout


def test_bare_foracli_shows_the_help_with_exit_2():
    """No arguments: the help on stdout (it is what was asked for), exit 2 as Click's
    'help shown for incorrect input'."""
    result = run([])
    assert result.returncode == 2
    assert result.stdout == run(["--help"]).stdout
    assert result.stderr == ""


def on_a_terminal(argv: list[str], env: dict[str, str]) -> bytes:
    """What foracli draws with stdout on a pseudo-terminal (stdin not one: no pager)."""
    import pty
    import select

    controller, terminal = pty.openpty()
    proc = subprocess.Popen(
        [SCRIPT, *argv],
        stdin=subprocess.DEVNULL,
        stdout=terminal,
        stderr=subprocess.PIPE,
        env=_env({"COLUMNS": "100", **env}),
    )
    os.close(terminal)
    chunks = []
    while select.select([controller], [], [], 30)[0]:
        try:
            data = os.read(controller, 65536)
        except OSError:  # EIO: the child closed its end
            break
        if not data:
            break
        chunks.append(data)
    os.close(controller)
    assert proc.wait(timeout=30) == 0
    return b"".join(chunks)


OSC8 = b"\x1b]8;id="


@pytest.mark.parametrize(
    ("env", "argv", "linked"),
    [
        ({"TERM_PROGRAM": "WezTerm"}, ["sources", "open"], True),
        ({"FORCE_HYPERLINK": "1"}, ["explain", "open", "-s", "what"], True),
        ({}, ["sources", "open"], False),  # a terminal not known to show links
        ({"TERM_PROGRAM": "WezTerm", "FORCE_HYPERLINK": "0"}, ["sources", "open"], False),
        ({"FORCE_HYPERLINK": "1"}, ["sources", "open", "--color", "never"], False),
        ({"FORCE_HYPERLINK": "1", "NO_COLOR": "1"}, ["sources", "open"], False),
    ],
)
def test_source_links_only_where_the_terminal_shows_them(env, argv, linked, tmp_path):
    """OSC 8 links to a source's DOI (else PubMed, else its page) on a terminal that
    advertises them; a replay (the second run) draws the same."""
    cache = {"FORACLI_CACHE_DIR": str(tmp_path)}
    first = on_a_terminal(argv, {**env, **cache})
    assert (OSC8 in first) is linked
    assert on_a_terminal(argv, {**env, **cache}) == first
    if linked:
        assert b"\x1b]8;id=" in first
        assert re.search(rb"\x1b\]8;id=\d+;https://[^\x1b]+\x1b\\", first)


def test_links_never_go_into_a_pipe():
    """Forced colour into a pipe, even with FORCE_HYPERLINK=1: no links."""
    result = run(
        ["sources", "open", "--color", "always"],
        env={"FORCE_HYPERLINK": "1", "TERM_PROGRAM": "WezTerm"},
    )
    assert result.returncode == 0
    assert "\x1b[" in result.stdout
    assert "\x1b]8;" not in result.stdout


def test_what_decides_links_is_part_of_the_replay_key():
    """Every variable hyperlinks() reads is an output input, so a replay cannot show a
    terminal's links on another."""
    from foracli.app import inputs

    for name in ("FORCE_HYPERLINK", "TERM_PROGRAM", "VTE_VERSION", "WT_SESSION"):
        assert name in inputs.OUTPUT_ENVIRONMENT
    assert inputs.hyperlinks("auto", isatty=True, env={"VTE_VERSION": "7600"})
    assert not inputs.hyperlinks("auto", isatty=True, env={"VTE_VERSION": "4000"})
    assert not inputs.hyperlinks("always", isatty=False, env={"FORCE_HYPERLINK": "1"})


def test_a_source_link_is_a_plain_web_address():
    """DOI first, then PubMed, then the page; anything else is not linked."""
    from foracli.core.record import replace
    from foracli.kb.loader import load_knowledge_base
    from foracli.render.common import source_link

    kb = load_knowledge_base()
    source = next(s for s in kb.sources.values() if s.doi)
    assert source_link(source) == f"https://doi.org/{source.doi}"
    assert source_link(replace(source, doi=None, pmid="123")) == (
        "https://pubmed.ncbi.nlm.nih.gov/123/"
    )
    assert source_link(replace(source, doi=None, pmid=None, url="javascript:x")) is None
    assert source_link(replace(source, doi=None, pmid=None, url="https://a.b/\x1b]x")) is None
