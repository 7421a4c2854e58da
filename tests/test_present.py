"""The presenter: the output plan, recording through the hook, and paging, driven with
fake streams (an Environment is all a command writes to)."""

from __future__ import annotations

import io

import pytest

from foracli.app import pager
from foracli.app.present import Capture, Environment, Recorder, present
from foracli.core import query
from foracli.render import Color, Format


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def view(fixture_kb):
    return query.explain(fixture_kb, "keyhole", ["what"])


def run(view, *, stdout, stdin=None, record=None, fmt=Format.AUTO, pager_flag=None, environ=None):
    env = Environment(
        stdin=stdin or io.StringIO(),
        stdout=stdout,
        environ=environ or {"TERM": "xterm-256color", "COLUMNS": "80"},
        record=record,
    )
    present(env, view, fmt, Color.AUTO, pager=pager_flag)
    return env


def test_a_pipe_gets_plain_text_and_the_hook_gets_the_same_bytes(view):
    """Piped: plain text, and what is recorded is exactly what was written."""
    recorded: list[bytes] = []
    out = io.StringIO()
    run(view, stdout=out, record=recorded.append)
    assert out.getvalue().startswith("Keyhole surgery\n")
    assert recorded == [out.getvalue().encode()]


def test_no_hook_no_recorder(view):
    """Without a recording hook, output goes straight to the stream."""
    out = io.StringIO()
    run(view, stdout=out)
    assert "What it is" in out.getvalue()


def test_a_person_at_both_ends_gets_the_pager_with_the_recorded_bytes(view, monkeypatch):
    """stdin and stdout terminals: the page goes to the pager, not the stream, and the
    pager is handed exactly what is recorded for a replay."""
    paged: list[bytes] = []
    monkeypatch.setattr("foracli.app.present.page", lambda data, environ: paged.append(data))
    recorded: list[bytes] = []
    out = Terminal()
    run(view, stdout=out, stdin=Terminal(), record=recorded.append)
    assert out.getvalue() == ""
    assert len(paged) == 1
    assert paged == recorded
    assert b"\x1b[" in paged[0]  # Rich, styled as for the terminal


def test_no_pager_when_stdin_is_not_a_terminal(view, monkeypatch):
    """clig.dev: page only when a person is at both ends."""
    monkeypatch.setattr("foracli.app.present.page", lambda *a: pytest.fail("paged"))
    out = Terminal()
    run(view, stdout=out)
    assert "What it is" in out.getvalue()


def test_no_pager_for_text_even_when_asked(view, monkeypatch):
    """--pager with plain text output: written directly, as before."""
    monkeypatch.setattr("foracli.app.present.page", lambda *a: pytest.fail("paged"))
    out = Terminal()
    run(view, stdout=out, stdin=Terminal(), fmt=Format.TEXT, pager_flag=True)
    assert out.getvalue().startswith("Keyhole surgery\n")


def test_a_pager_that_cannot_start_prints_the_page_and_says_so(view, monkeypatch, capsys):
    """The page is never lost: printed directly, one line on stderr."""
    monkeypatch.setattr("foracli.app.present.page", lambda data, environ: "nope --x")
    out = Terminal()
    run(view, stdout=out, stdin=Terminal())
    assert "What it is" in out.getvalue()
    assert capsys.readouterr().err == (
        "foracli: cannot start the pager 'nope --x'; printing directly\n"
    )


def test_a_dumb_terminal_without_a_pager_prints_directly_and_quietly(view, monkeypatch, capsys):
    """TERM=dumb and no PAGER: pydoc would not page either; no warning."""
    monkeypatch.setattr("foracli.app.present.page", lambda data, environ: "")
    out = Terminal()
    run(view, stdout=out, stdin=Terminal(), fmt=Format.RICH)
    assert "What it is" in out.getvalue()
    assert capsys.readouterr().err == ""


def test_recorder_and_capture_look_like_the_stream():
    """Both answer isatty (and anything else) as the stream does; a capture keeps, a
    recorder passes on."""
    terminal = Terminal()
    recorder, capture = Recorder(terminal), Capture(terminal)
    assert recorder.isatty()
    assert capture.isatty()
    recorder.write("a")
    capture.write("b")
    recorder.writelines(["c"])
    assert terminal.getvalue() == "ac"
    assert (recorder.encoded(), capture.encoded()) == (b"ac", b"b")


@pytest.mark.parametrize(
    ("environ", "command"),
    [({"PAGER": "less -R"}, "less -R"), ({"MANPAGER": "most", "PAGER": "less"}, "most")],
)
def test_the_pager_command_follows_the_environment(environ, command):
    assert pager.pager_command(environ) == command


def test_a_pager_not_on_path_is_not_started():
    """page() reports the command it could not start and spawns nothing."""
    assert pager.page(b"x", {"PATH": "/nonexistent", "PAGER": "less"}) == "less"
