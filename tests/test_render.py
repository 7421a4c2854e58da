"""Each renderer against golden output, at a fixed width with colour off.

Regenerate the golden files after an intended change with
`FORACLI_REGEN_GOLDEN=1 pytest tests/test_render.py`, then read the diff.
"""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from foracli.app.output import TerminalSettings
from foracli.content import words
from foracli.core import query
from foracli.core.model import ASPECTS
from foracli.render import Format, jsonout, markdown, page_renderer, plain, terminal

W = words()

GOLDEN = Path(__file__).parent / "data" / "golden"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def check_golden(name: str, actual: str) -> None:
    """Compare *actual* with tests/data/golden/<name>, or rewrite it on request."""
    path = GOLDEN / name
    if os.environ.get("FORACLI_REGEN_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


def render(module, kind, view, **console_args) -> str:
    """Render *view* with *module* into a string."""
    buffer = io.StringIO()
    fmt = {plain: Format.TEXT, markdown: Format.MARKDOWN, jsonout: Format.JSON}.get(
        module, Format.RICH
    )
    page_renderer(fmt, TerminalSettings(**console_args)).render(view, buffer)
    return buffer.getvalue()


@pytest.fixture
def explanation(fixture_kb):
    """The fixture's keyhole page."""
    return query.explain(fixture_kb, "keyhole")


@pytest.fixture
def comparison(fixture_kb):
    """The fixture's two procedures compared."""
    return query.compare(fixture_kb, ["keyhole", "open"])


@pytest.mark.parametrize(
    ("module", "suffix"), [(plain, "txt"), (markdown, "md"), (jsonout, "json")]
)
@pytest.mark.parametrize("kind", ["explanation", "comparison"])
def test_stream_renderers_match_golden(module, suffix, kind, explanation, comparison):
    """Plain, Markdown and JSON output are byte-for-byte stable."""
    view = explanation if kind == "explanation" else comparison
    check_golden(f"{kind}.{suffix}", render(module, kind, view))


@pytest.mark.parametrize("width", [80, 200])
@pytest.mark.parametrize("kind", ["explanation", "comparison"])
def test_rich_renderer_matches_golden(width, kind, explanation, comparison):
    """The terminal look at 80 and 200 columns, colour off."""
    view = explanation if kind == "explanation" else comparison
    out = render(terminal, kind, view, plain_styles=True, width=width)
    check_golden(f"{kind}.rich{width}.txt", out)
    assert max(len(line) for line in out.splitlines()) <= width


@pytest.mark.parametrize("width", [40, 80, 120])
@pytest.mark.parametrize("kind", ["explanation", "comparison"])
def test_rich_never_truncates_with_ellipsis(width, kind, explanation, comparison):
    """Narrow or wide, Rich folds long words instead of cutting them with '…'."""
    view = explanation if kind == "explanation" else comparison
    assert "…" not in render(terminal, kind, view, plain_styles=True, width=width)


def test_rich_with_colour_emits_styles(explanation):
    """Forced colour styles titles; plain_styles emits no escape codes at all."""
    coloured = render(terminal, "explanation", explanation, force_terminal=True, width=80)
    assert "\x1b[" in coloured
    assert ANSI.sub("", coloured) == render(
        terminal, "explanation", explanation, plain_styles=True, width=80
    )


@pytest.mark.parametrize("module", [plain, markdown, jsonout, terminal])
@pytest.mark.parametrize("kind", ["explanation", "comparison"])
def test_data_is_never_markup_or_terminal_control(module, kind, explanation, comparison):
    """Markup-like text prints literally; raw ESC and bidi characters never appear."""
    view = explanation if kind == "explanation" else comparison
    kwargs = {"force_terminal": True, "width": 100} if module is terminal else {}
    out = render(module, kind, view, **kwargs)
    body = ANSI.sub("", out)
    assert "\u202e" not in out
    assert "\x1b[31mnot red" not in out
    if kind == "explanation":
        visible = {jsonout: r"\\x1b[31mnot red", markdown: r"\\x1b\[31mnot red"}
        assert visible.get(module, r"\x1b[31mnot red") in body
        literal = "[bold]this[/]" if module is not markdown else r"\[bold\]this\[/\]"
        assert literal in body
        assert ":pill:" in body
        assert "💊" not in body


def test_plain_text_has_one_line_per_point_and_no_box_drawing(explanation):
    """Piped text: heading lines, one line per point, no box-drawing characters."""
    out = render(plain, "explanation", explanation)
    assert not re.search(r"[\u2500-\u257f]", out)
    assert "\x1b" not in out
    lines = out.splitlines()
    risks = lines.index("Possible risks")
    assert lines[risks + 1].startswith("- About 5 in 100 people get burning nerve pain.")
    assert lines[risks + 2] == ""


def test_markdown_is_commonmark_with_headings_lists_and_table(explanation, comparison):
    """Markdown parses as CommonMark: h1, h2 per section, lists, and a real table."""
    md = MarkdownIt("commonmark").enable("table")
    tokens = md.parse(render(markdown, "explanation", explanation))
    headings = [t for t in tokens if t.type == "heading_open"]
    assert [h.tag for h in headings][:2] == ["h1", "h2"]
    assert sum(t.type == "ordered_list_open" for t in tokens) == 1
    html = md.render(render(markdown, "comparison", comparison))
    assert html.count("<tr>") == len(ASPECTS) + 1  # header + one row per aspect
    assert "<td>no good data</td>" in html


def test_json_has_schema_version_sections_and_sources(explanation, comparison):
    """JSON is a stable contract: version, ids, every section and source."""
    doc = json.loads(render(jsonout, "explanation", explanation))
    assert doc["schema_version"] == 2
    assert doc["procedure"]["id"] == "keyhole"
    assert [s["key"] for s in doc["sections"]] == ["what", "steps", "benefits", "risks", "recovery"]
    assert {s["id"] for s in doc["sources"]} == {"series-2019", "trial-2020", "practice-page"}
    compared = json.loads(render(jsonout, "comparison", comparison))
    assert compared["rows"][0]["values"]["open-op"]["display"] == "3 cm"
    assert compared["rows"][2]["values"]["keyhole"] is None


def test_compare_bars_on_a_shared_scale(comparison):
    """Numeric rows of like figures get bars on one scale per row; a row whose figures
    measured different things says so instead; --no-bars leaves only the table."""
    out = render(terminal, "comparison", comparison, plain_styles=True, width=80)
    assert "At a glance" in out
    assert "Hospital stay (days), 0 to 3" in out
    assert "Skin cut (cm)" not in out
    # Wrapped at 80 columns: compare the words.
    assert (
        "Skin cut: not comparable, as these figures measured different things "
        "(not stated, one level)."
    ) in " ".join(line.strip("│ ") for line in out.splitlines())
    bars = [line for line in out.splitlines() if "█" in line]
    assert len(bars) == 3  # the stay for both, complications for keyhole only
    buffer = io.StringIO()
    console = terminal.make_console(buffer, TerminalSettings(plain_styles=True, width=80))
    terminal.render_comparison(comparison, console, bars=False, w=W)
    assert "At a glance" not in buffer.getvalue()
    assert "█" not in buffer.getvalue()


def test_recovery_is_a_timeline_on_a_terminal(explanation):
    """Labelled recovery points draw as a timeline with one stop per time."""
    out = render(terminal, "explanation", explanation, plain_styles=True, width=80)
    assert "  First days ● You walk within hours." in out
    assert "Weeks 1 to 2 ● Most people go back to desk work" in out


@pytest.mark.parametrize(
    "names", [["open", "endoscopic"], ["open", "endoscopic", "tubular", "acdf"]]
)
def test_compare_numbers_sources_in_the_order_the_reader_meets_them(names):
    """In the piped page, each citation number's first appearance is the next number."""
    from foracli.kb.loader import load_knowledge_base

    view = query.compare(load_knowledge_base(), names)
    out = io.StringIO()
    page_renderer(Format.TEXT).render(view, out)
    body = out.getvalue().split("\nSources\n", 1)[0]
    seen: list[int] = []
    for bracket in re.findall(r"\[([\d, ]+)\]", body):
        for number in map(int, bracket.split(", ")):
            if number not in seen:
                seen.append(number)
    assert seen == list(range(1, len(seen) + 1))
    assert len(seen) == len(view.sources)
