"""The fast terminal renderer writes Rich's bytes, or declines and lets Rich write them."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
import tempfile

import pytest

from foracli.content import words
from foracli.core import query
from foracli.core.ask import ask
from foracli.core.record import replace
from foracli.render import TerminalSettings, fastterm
from foracli.render.fastterm import FastTerminalRenderer, Unsupported
from foracli.render.terminal import TerminalRenderer, make_console

W = words("en")
WIDTHS = (40, 60, 80, 100, 120, 200)
# (TERM, COLORTERM) for each colour system Rich detects on a terminal.
COLOUR_SYSTEMS = {
    "standard": ("xterm", ""),
    "256": ("xterm-256color", ""),
    "truecolor": ("xterm-256color", "truecolor"),
}
_LINK_ID = re.compile(r"\x1b\]8;id=[^;]*;")


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def _shown(text: str) -> str:
    # Rich numbers links from a random start (rich.style._id_generator): only the
    # number may differ.
    return _LINK_ID.sub("\x1b]8;id=N;", text)


def rich_bytes(view: query.View, settings: TerminalSettings, *, bars: bool = True) -> str:
    """What the Rich renderer writes for *view*."""
    out = Terminal()
    TerminalRenderer(settings, bars=bars).render(view, out)
    return out.getvalue()


def fast_bytes(view: query.View, settings: TerminalSettings, *, bars: bool = True) -> str | None:
    """What the fast renderer would write (None: a view left to Rich)."""
    return FastTerminalRenderer(settings, bars=bars).draw(view, Terminal())


def views(kb: query.KnowledgeBase) -> list[tuple[str, query.View, bool]]:
    """Every page of the knowledge base in every covered command form: (name, view, bars)."""
    out: list[tuple[str, query.View, bool]] = []
    for pid in sorted(kb.procedures):
        proc = kb.procedures[pid]
        out.append((f"explain {pid}", query.explain(kb, pid), True))
        out.append((f"explain {pid} --brief", query.explain(kb, pid, brief=True), True))
        for region in proc.regions:
            out.append(
                (f"explain {pid} --region {region}", query.explain(kb, pid, region=region), True)
            )
        for key in ("risks", "recovery"):
            out.append((f"explain {pid} -s {key}", query.explain(kb, pid, [key]), True))
        out.append((f"sources {pid}", query.list_sources(kb, pid), True))
    for names in (
        ["open", "endoscopic"],
        ["open", "endoscopic", "tubular"],
        ["acdf", "endoscopic-cervical-foraminotomy"],
    ):
        out.append((f"compare {names}", query.compare(kb, names), True))
        out.append((f"compare {names} --no-bars", query.compare(kb, names), False))
        out.append((f"compare {names} --evidence", query.compare(kb, names, evidence=True), True))
    for text in ("nerve", "how long off work", "infection"):
        out.append((f"search {text}", query.find(kb, text, W), True))
        out.append((f"ask {text}", ask(kb, text, W), True))
    out.append(("ask zzzz", ask(kb, "zzzz qqqq", W), True))
    out.append(("list", query.list_procedures(kb), True))
    out.append(("glossary", query.glossary(kb), True))
    for key in sorted(kb.glossary)[::7]:
        out.append((f"glossary {key}", query.glossary(kb, kb.glossary[key].term), True))
    out.append(("sources", query.list_sources(kb), True))
    return out


@pytest.fixture(scope="module")
def pages(shipped_kb):
    return views(shipped_kb)


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_at_every_width_is_rich_byte_for_byte(pages, width, monkeypatch):
    """Each covered page, at each width, with colour and links, writes Rich's bytes."""
    monkeypatch.setenv("TERM", "xterm-256color")
    settings = TerminalSettings(force_terminal=True, width=width, hyperlinks=True)
    for name, view, bars in pages:
        fast = fast_bytes(view, settings, bars=bars)
        assert fast is not None, name
        assert _shown(fast) == _shown(rich_bytes(view, settings, bars=bars)), (name, width)


@pytest.mark.parametrize("system", [None, *COLOUR_SYSTEMS])
@pytest.mark.parametrize("links", [False, True])
@pytest.mark.parametrize("no_color", [False, True])
def test_every_colour_system_and_link_setting(pages, system, links, no_color, monkeypatch):
    """No colours, standard, 256 and truecolor, links on and off, NO_COLOR: Rich's bytes."""
    term, colorterm = COLOUR_SYSTEMS.get(system or "", ("xterm", ""))
    monkeypatch.setenv("TERM", term)
    monkeypatch.setenv("COLORTERM", colorterm)
    settings = TerminalSettings(
        force_terminal=True,
        width=80,
        no_color=no_color,
        plain_styles=system is None,
        hyperlinks=links,
    )
    for name, view, bars in pages[::3]:
        assert _shown(fast_bytes(view, settings, bars=bars) or "") == _shown(
            rich_bytes(view, settings, bars=bars)
        ), name


def test_links_are_osc8_and_styles_sgr(shipped_kb, monkeypatch):
    """The bytes really carry escapes: SGR styles and OSC 8 links (not a blank page)."""
    monkeypatch.setenv("TERM", "xterm-256color")
    view = query.list_sources(shipped_kb)
    out = fast_bytes(view, TerminalSettings(force_terminal=True, width=80, hyperlinks=True))
    assert out is not None
    assert "\x1b[1;36m" in out
    assert "\x1b]8;id=1;https://" in out
    assert out.endswith("╯\n")


ENVIRONMENTS = [
    {},
    {"TERM": "dumb"},
    {"TERM": "unknown"},
    {"TERM": "xterm-kitty"},
    {"COLORTERM": "24bit"},
    {"COLUMNS": "57"},
    {"COLUMNS": "250"},
    {"COLUMNS": "57", "LINES": "20"},
    {"COLUMNS": "150", "LINES": "20", "TERM": "dumb"},
    {"COLUMNS": "x"},
    {"FORCE_COLOR": "1"},
    {"FORCE_COLOR": ""},
    {"TTY_COMPATIBLE": "0"},
    {"TTY_COMPATIBLE": "1"},
]
SETTINGS = [
    TerminalSettings(),
    TerminalSettings(force_terminal=True),
    TerminalSettings(force_terminal=True, no_color=True),
    TerminalSettings(no_color=True),
    TerminalSettings(plain_styles=True),
    TerminalSettings(force_terminal=True, width=66),
]


@pytest.mark.parametrize("environ", ENVIRONMENTS)
@pytest.mark.parametrize("tty", [True, False])
def test_console_state_is_what_rich_decides(environ, tty, monkeypatch):
    """Width and colour come out as make_console's Rich console decides them."""
    for name in ("TERM", "COLORTERM", "COLUMNS", "LINES", "FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm")
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    for settings in SETTINGS:
        out = Terminal() if tty else io.StringIO()
        console = make_console(out, settings)
        expected = (console.width, console.color_system is not None, console.no_color)
        assert fastterm.console_state(out, settings) == expected, (environ, settings)


def test_a_stream_not_in_utf8_is_left_to_rich():
    """Rich draws ASCII boxes on other encodings: the fast renderer declines."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="latin-1")
    with pytest.raises(Unsupported):
        fastterm.console_state(out, TerminalSettings(force_terminal=True, width=80))


@pytest.mark.parametrize(
    "odd", ["漢字", "e\u0301", "\u200b", "tab\there", "bell\x07", "\x1b[31m", "😀"]
)
def test_characters_not_one_cell_wide_hand_over_to_rich(shipped_kb, odd, monkeypatch):
    """A wide, combining, zero-width or control character: declined, and the renderer
    writes what Rich writes."""
    monkeypatch.setenv("TERM", "xterm-256color")
    view = query.list_procedures(shipped_kb)
    first = replace(view.procedures[0], summary=f"A summary with {odd} inside.")
    view = replace(view, procedures=(first, *view.procedures[1:]))
    settings = TerminalSettings(force_terminal=True, width=80)
    with pytest.raises(Unsupported):
        fast_bytes(view, settings)
    out = Terminal()
    FastTerminalRenderer(settings).render(view, out)
    assert out.getvalue() == rich_bytes(view, settings)


def test_views_it_does_not_draw_go_to_rich(shipped_kb, monkeypatch):
    """about (and decide) stay with Rich: draw says None, render writes Rich's bytes."""
    from foracli.core.about import about

    monkeypatch.setenv("TERM", "xterm-256color")
    view = about(shipped_kb)
    settings = TerminalSettings(force_terminal=True, width=80)
    assert fast_bytes(view, settings) is None
    out = Terminal()
    FastTerminalRenderer(settings).render(view, out)
    assert out.getvalue() == rich_bytes(view, settings)


def test_allowed_characters_are_one_cell_in_every_unicode_version():
    """Every character the checker lets through is one cell wide for Rich, whatever
    UNICODE_VERSION says."""
    from rich._unicode_data import VERSIONS
    from rich.cells import get_character_cell_size

    allowed = [chr(n) for n in range(0x20, 0x3000) if fastterm._FOREIGN.match(chr(n)) is None]
    assert len(allowed) > 1000
    for version in VERSIONS:
        wide = [c for c in allowed if get_character_cell_size(c, version) != 1]
        assert wide == [], version


def test_unknown_style_words_are_declined():
    """A style this module does not model (a bright colour, reverse) is not guessed."""
    for style in ("bright_red", "reverse", "on blue", "#ff0000"):
        with pytest.raises(Unsupported):
            fastterm.get_style(style)


@pytest.mark.parametrize(
    "args",
    [
        ["explain", "endoscopic"],
        ["compare", "open", "endoscopic"],
        ["search", "nerve"],
        ["list"],
        ["glossary"],
        ["sources"],
        ["ask", "how", "long", "off", "work"],
    ],
)
def test_a_first_run_at_a_terminal_imports_no_rich(args, tmp_path):
    """On one pseudo-terminal as stdin and stdout, pager on: no rich module is imported,
    and the page is drawn."""
    flag = tmp_path / "modules"
    code = (
        "import atexit, sys\n"
        f"atexit.register(lambda: open({str(flag)!r}, 'w').write("
        "' '.join(m for m in sys.modules if m.split('.')[0] == 'rich')))\n"
        f"sys.argv = ['foracli', *{args!r}]\n"
        "from foracli.speed.launch import main\nmain()\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NO_COLOR", "FORCE_COLOR")}
    env.update(PAGER="cat", TERM="xterm-256color", FORACLI_CACHE_DIR=tempfile.mkdtemp())
    controller, terminal = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdin=terminal, stdout=terminal, stderr=terminal, env=env
    )
    os.close(terminal)
    output = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    os.close(controller)
    assert proc.wait(timeout=60) == 0
    assert flag.read_text() == ""
    assert "\x1b[" in output.decode()
    assert "╰" in output.decode()
