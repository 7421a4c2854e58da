"""Pages a patient can read (issue 13): their region, the short version first, said once,
like with like, and a terminal layout that never breaks a word it should keep whole."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

import pytest

from foracli.app.cli import app
from foracli.content import words
from foracli.core import query
from foracli.core.errors import NotFoundError, RegionError
from foracli.core.layout import bar_check, lay_out, shared_certainty
from foracli.core.model import (
    AspectValue,
    Certainty,
    Point,
    Region,
    Section,
    Source,
    StudyType,
)
from foracli.render import Format, TerminalSettings, page_renderer

W = words()
REGION_HEADINGS = {"Neck:", "Low back:"}


def rich(view: object, width: int) -> str:
    """*view* drawn by the terminal renderer at *width* columns, without colour codes."""
    out = io.StringIO()
    page_renderer(Format.RICH, TerminalSettings(plain_styles=True, width=width)).render(view, out)
    return out.getvalue()


def text(view: object, fmt: Format = Format.TEXT) -> str:
    out = io.StringIO()
    page_renderer(fmt).render(view, out)
    return out.getvalue()


# -- region ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "region"),
    [
        ("neck", Region.CERVICAL),
        ("Cervical", Region.CERVICAL),
        ("low-back", Region.LUMBAR),
        ("low back", Region.LUMBAR),
        ("lumbar", Region.LUMBAR),
        ("back", Region.LUMBAR),
    ],
)
def test_every_name_of_a_region_resolves(typed, region):
    """The names a patient or a clinician types all reach the region."""
    assert query.resolve_region(typed) is region


def test_an_unknown_region_suggests_the_near_one():
    with pytest.raises(NotFoundError) as caught:
        query.resolve_region("nek")
    assert W.error(caught.value) == "unknown region 'nek'; did you mean 'neck'?"


@pytest.mark.parametrize("region", ["neck", "low-back"])
def test_a_region_shows_only_what_applies_there(shipped_kb, region):
    """Every point and figure left is for that region or for both; none for the other."""
    where = query.resolve_region(region)
    for name in ("endoscopic", "open", "tubular", "non-surgical"):
        view = query.explain(shipped_kb, name, region=region)
        points = [p for s in view.sections for p in s.points]
        assert points
        assert {p.region for p in points} <= {None, where}
        full = query.explain(shipped_kb, name)
        kept = sum(p.region is None or p.region is where for s in full.sections for p in s.points)
        assert len(points) == kept
        assert REGION_HEADINGS.isdisjoint(text(view).splitlines())


def test_without_a_region_points_group_under_region_headings(shipped_kb):
    """A page for both regions: the common points, then one block per region, never mixed."""
    page = text(query.explain(shipped_kb, "endoscopic"))
    sections = page.split("\n\n")
    split = [s for s in sections if REGION_HEADINGS & set(s.splitlines())]
    assert split, "the endoscopic page has points for one region"
    for section in split:
        heads = [line for line in section.splitlines() if line in REGION_HEADINGS]
        assert len(heads) == len(set(heads))  # each region once: grouped, not interleaved


def test_a_page_asked_for_a_region_it_does_not_cover_says_so(runner):
    result = runner.invoke(app, ["explain", "acdf", "--region", "low-back"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "foracli: Anterior cervical discectomy and fusion (ACDF) is not done in the low "
        "back; it is for the neck"
    ]


def test_compare_for_a_region_leaves_out_the_other_regions_figures(shipped_kb):
    """A figure for the other region is not shown as this region's: the cell says why."""
    view = query.compare(shipped_kb, ["endoscopic", "open"], region="neck")
    for row in view.rows:
        for value, elsewhere in zip(row.values, row.elsewhere, strict=True):
            assert value is None or value.region in (None, Region.CERVICAL)
            assert elsewhere in (None, Region.LUMBAR)
    doc = json.loads(text(view, Format.JSON))
    assert doc["region"] == "cervical"


# -- the short version first ---------------------------------------------------------


def test_every_view_leads_with_the_key_points(shipped_kb):
    """The default page: summary, then the key points, then the rest in the fixed order."""
    for name in shipped_kb.procedures:
        view = query.explain(shipped_kb, name)
        assert view.sections[0].key == "key-points"


def test_brief_is_the_summary_key_points_figures_and_when_to_get_help(shipped_kb):
    view = query.explain(shipped_kb, "endoscopic", brief=True, cite=False)
    assert [s.key for s in view.sections] == ["key-points", "red-flags"]
    assert view.glance
    assert all(v.low is not None for v in view.glance)
    lines = text(view).splitlines()
    assert lines[0] == "Endoscopic foraminotomy"
    assert lines[1] == view.procedure.summary
    assert "Figures for this operation" in lines
    assert lines.index("Key points") < lines.index("Figures for this operation")
    assert lines.index("Figures for this operation") < lines.index("When to get help")
    assert "Sources" not in lines
    assert "More: foracli explain endoscopic-foraminotomy (the whole page, with sources)." in lines


@pytest.mark.parametrize("width", [80])
def test_brief_fits_one_screen_for_every_page(shipped_kb, width):
    """At most 40 lines at 80 columns, for every procedure and each of its regions; with
    no region, a figure given per region adds one line per extra region, no more."""
    for name, proc in shipped_kb.procedures.items():
        for region in (None, *proc.regions):
            view = query.explain(
                shipped_kb, name, brief=True, cite=False, region=region and region.value
            )
            rows = rich(view, width).splitlines()
            extra = len(view.glance) - len({v.key for v in view.glance})
            assert len(rows) <= 40 + extra, f"{name} {region}: {len(rows)} lines"


def test_brief_uses_each_points_short_form(fixture_kb):
    view = query.explain(fixture_kb, "open-op", brief=True, cite=False)
    page = text(view)
    assert "- Cannot pass urine: go to the emergency department." in page
    assert "if you cannot pass urine" not in page
    full = text(query.explain(fixture_kb, "open-op"))
    assert "Go to the emergency department now if you cannot pass urine." in full


def test_no_sources_hides_marks_and_the_list(runner):
    result = runner.invoke(app, ["explain", "open", "--no-sources", "-s", "risks"])
    assert result.exit_code == 0
    assert "\nSources\n" not in result.stdout
    assert not re.search(r"\[\d+(, \d+)*\]", result.stdout)
    cited = runner.invoke(app, ["explain", "open", "-s", "risks"]).stdout
    assert "\nSources\n" in cited


def test_only_sources_cited_by_what_is_shown_are_listed(shipped_kb):
    view = query.explain(shipped_kb, "open", ["key-points", "what"])
    cited = {sid for s in view.sections for p in s.points for sid in p.sources}
    assert {s.id for s in view.sources} == cited


def test_see_also_only_on_the_whole_page(runner):
    whole = runner.invoke(app, ["explain", "endoscopic"]).stdout
    part = runner.invoke(app, ["explain", "endoscopic", "-s", "recovery"]).stdout
    assert "See also:" in whole
    assert "See also:" not in part


# -- said once -------------------------------------------------------------------


def point(text: str, **fields: object) -> Point:
    return Point(text, **fields)  # type: ignore[arg-type]


def test_a_shared_certainty_is_said_once_for_the_section():
    section = Section(
        "benefits",
        (
            point("A.", sources=("s",), certainty=Certainty.LOW),
            point("B.", sources=("s",), certainty=Certainty.LOW),
        ),
    )
    laid = lay_out(section, ())
    assert laid.certainty is Certainty.LOW
    mixed = Section("benefits", (*section.points, point("C.", certainty=Certainty.HIGH)))
    assert lay_out(mixed, ()).certainty is None
    assert shared_certainty((point("only", certainty=Certainty.LOW),)) is None


def test_a_shared_certainty_prints_once_and_no_point_repeats_it(fixture_kb):
    from foracli.core.record import replace

    view = query.explain(fixture_kb, "keyhole", ["benefits"])
    same = Point("Less pain.", sources=("trial-2020",), certainty=Certainty.MODERATE)
    section = replace(view.sections[0], points=(*view.sections[0].points, same))
    page = text(replace(view, sections=(section,)))
    assert "How sure we are of every point here: fairly sure." in page
    assert "(fairly sure)" not in page
    assert "In brackets after a point" not in page


def test_points_with_one_label_go_under_it_once():
    section = Section(
        "red-flags",
        (
            point("Go now if A.", label="Get emergency help now"),
            point("Go now if B.", label="Get emergency help now"),
            point("Call if C.", label="Call your surgeon today"),
        ),
    )
    (block,) = lay_out(section, ()).blocks
    assert [(g.label, [p.text for p in g.points]) for g in block.groups] == [
        ("Get emergency help now", ["Go now if A.", "Go now if B."]),
        (None, ["Call if C."]),
    ]
    assert block.groups[1].points[0].label == "Call your surgeon today"  # alone: kept inline


def test_shipped_emergency_lines_sit_under_one_heading(shipped_kb):
    for name in shipped_kb.procedures:
        page = text(query.explain(shipped_kb, name, ["red-flags"], cite=False))
        lines = page.splitlines()
        assert "Get emergency help now:" in lines
        inline = [n for n, line in enumerate(lines) if line.startswith("- Get emergency help now:")]
        # Only a lone point (one region's single line) keeps the label inline.
        assert all(n + 1 not in inline for n in inline)


# -- like with like --------------------------------------------------------------

STUDY = Source("study", "A trial", StudyType.RCT)
SITE = Source("site", "A surgeon's page", StudyType.PRACTICE_PAGE)
SOURCES = {"study": STUDY, "site": SITE}


def figure(low: float, source: str = "study", **fields: object) -> AspectValue:
    return AspectValue("return-to-work", (source,), low=low, unit="weeks", **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("values", "comparable", "why"),
    [
        ([figure(1), figure(8)], True, ""),
        ([figure(1, basis="desk work"), figure(8, basis="Desk work")], True, ""),
        ([figure(1, basis="desk work"), figure(8, basis="full duty")], False, "basis"),
        ([figure(1), figure(8, basis="full duty")], False, "basis"),
        ([figure(1, region=Region.LUMBAR), figure(8, region=Region.CERVICAL)], False, "region"),
        ([figure(1, "site"), figure(8)], False, "evidence"),
        ([figure(1, "site"), None], True, ""),
    ],
)
def test_bars_only_across_figures_of_one_kind(values, comparable, why):
    check = bar_check(values, SOURCES)
    assert (check.comparable, check.why) == (comparable, why)


def test_shipped_back_to_work_is_not_drawn_as_comparable(shipped_kb):
    """The issue's example: desk work from websites against full duty from one study."""
    view = query.compare(shipped_kb, ["endoscopic", "open", "acdf"], aspects=["work"])
    (row,) = view.rows
    assert not row.bar.comparable
    page = rich(view, 100)
    assert "Back to work: not comparable, as" in " ".join(page.replace("│", " ").split())


@pytest.mark.parametrize("fmt", [Format.TEXT, Format.MARKDOWN, Format.RICH])
def test_head_to_head_lines_name_both_procedures(shipped_kb, fmt):
    view = query.compare(shipped_kb, ["open", "endoscopic", "tubular"], aspects=["time"])
    page = " ".join(text(view, fmt).replace("│", " ").split())
    pairs = {(m.subject.name, m.other.name) for r in view.rows for m in r.head_to_head if m.other}
    assert len(pairs) >= 2
    for a, b in pairs:
        assert f"Head-to-head, {a} vs {b}" in page
    assert "Head-to-head:" not in page


def test_head_to_head_json_names_the_pair(shipped_kb):
    view = query.compare(shipped_kb, ["open", "endoscopic"], aspects=["time"])
    rows = json.loads(text(view, Format.JSON))["rows"]
    assert [r["region"] for r in rows] == ["cervical", "lumbar"]  # a row per region
    for found in (f for row in rows for f in row["head_to_head"]):
        assert found["pair"].startswith("Head-to-head, ")
        assert {found["procedure"], found["other"]} <= {
            "open-foraminotomy",
            "endoscopic-foraminotomy",
        }


# -- terminal layout -------------------------------------------------------------


def test_wide_terminals_get_a_reading_width(shipped_kb):
    for view in (
        query.explain(shipped_kb, "endoscopic"),
        query.compare(shipped_kb, ["open", "endoscopic"]),
    ):
        assert max(len(line) for line in rich(view, 200).splitlines()) <= 100


def test_compare_stacks_below_90_columns(shipped_kb):
    view = query.compare(shipped_kb, ["open", "endoscopic", "tubular"])
    narrow, wide = rich(view, 80), rich(view, 100)
    for proc in view.procedures:
        assert re.search(rf"╭─  {re.escape(proc.name)}  ─", narrow)
    assert "┬" not in narrow  # no table columns
    assert "┬" in wide


@pytest.mark.parametrize("width", [60, 80, 100])
def test_citations_ids_and_labels_never_break_mid_word(shipped_kb, width):
    views = [
        query.explain(shipped_kb, "endoscopic"),
        query.compare(shipped_kb, ["open", "endoscopic", "tubular", "acdf"]),
        query.find(shipped_kb, "blood loss", W, limit=10),
    ]
    for view in views:
        page = rich(view, width)
        for line in page.splitlines():
            inner = line.strip("│┃ ")
            assert not re.search(r"\[[\d,]*$", inner), line  # a citation cut open
            assert not re.match(r"^[\d,]*\]", inner), line
        for proc in shipped_kb.procedures:
            if proc in page.replace("\n", ""):
                assert proc in page or f"{proc} " not in page


@pytest.mark.parametrize("width", [40, 50])
def test_narrow_headers_keep_procedure_names_whole(shipped_kb, width):
    view = query.compare(shipped_kb, ["open", "endoscopic"])
    tokens = set(re.findall(r"[\w()-]+", rich(view, width)))
    for proc in view.procedures:
        for word in proc.name.split():
            assert word in tokens, (word, width)


# -- small defects -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", [Format.TEXT, Format.MARKDOWN])
def test_no_cell_ends_in_two_full_stops(shipped_kb, fmt):
    view = query.compare(shipped_kb, list(shipped_kb.procedures))
    assert not re.search(r"[^.]\.\.(?!\.)", text(view, fmt))


def test_markdown_compare_keeps_the_certainty(shipped_kb):
    view = query.compare(shipped_kb, ["open", "endoscopic"])
    table = [line for line in text(view, Format.MARKDOWN).splitlines() if line.startswith("| ")]
    assert any("*(not sure)*" in line for line in table)


def test_markdown_search_does_not_repeat_the_label(shipped_kb):
    view = query.find(shipped_kb, "main risks", W)
    page = text(view, Format.MARKDOWN)
    assert "Main risks: Main risks:" not in page


def test_glossary_titles_sections_as_each_page_does(runner):
    out = runner.invoke(app, ["glossary", "sciatica"]).stdout
    assert "Used in: non-surgical-care\tWhat the treatment involves" in out
    assert "Used in: non-surgical-care\tWhat happens during surgery" not in out


def test_region_option_through_the_installed_entry_point():
    """Piped, through a real process: the region narrows and the exit code is 0."""
    result = subprocess.run(
        [sys.executable, "-m", "foracli", "explain", "open", "-r", "neck", "-s", "what"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "Low back:" not in result.stdout
    assert result.stdout.startswith("Open foraminotomy\n")


def test_a_region_on_a_point_must_be_one_the_page_covers(tmp_path):
    from foracli.core.errors import KnowledgeBaseError
    from foracli.kb.loader import load_knowledge_base
    from tests.conftest import PROCEDURE, write_kb

    bad = PROCEDURE.replace(
        "    - Plain words.", "    - text: Plain words.\n      region: cervical"
    )
    root = write_kb(tmp_path, bad)
    with pytest.raises(KnowledgeBaseError) as caught:
        load_knowledge_base([root], include_shipped=False)
    assert "region 'cervical' is not one this page covers (lumbar)" in str(caught.value)


def test_region_error_is_data_worded_by_content():
    error = RegionError("ACDF", "lumbar", ("cervical",))
    assert W.error(error) == "ACDF is not done in the low back; it is for the neck"


def test_a_one_region_page_figure_is_that_regions_figure():
    """ACDF's page is for the neck only: its figures count as neck figures."""
    neck = figure(12)
    tagged = figure(1, region=Region.CERVICAL)
    regions = [(Region.CERVICAL,), (Region.LUMBAR, Region.CERVICAL)]
    assert bar_check([neck, tagged], SOURCES, regions).comparable
    low_back_page = [(Region.CERVICAL,), (Region.LUMBAR,)]
    assert bar_check([neck, figure(1)], SOURCES, low_back_page).why == "region"
    assert bar_check([neck, figure(1)], SOURCES, [(Region.CERVICAL,), ()]).comparable


def test_risks_counted_over_different_times_share_no_bar():
    one = AspectValue("reoperation", ("study",), low=5, unit="in 100", timeframe="1 year")
    two = AspectValue("reoperation", ("study",), low=7, unit="in 100", timeframe="2 years")
    assert bar_check([one, two], SOURCES).why == "timeframe"


def test_a_narrowed_page_keeps_its_order_and_its_regions_variants(shipped_kb):
    """Narrowed to the low back, the points keep the order written; See also lists only
    variants done in the low back."""
    whole = query.explain(shipped_kb, "endoscopic", ["who"])
    low_back = query.explain(shipped_kb, "endoscopic", ["who"], region="low-back")
    kept = [p for p in whole.sections[0].points if p.region in (None, Region.LUMBAR)]
    assert list(low_back.sections[0].points) == kept
    bullets = [line[2:] for line in text(low_back).splitlines() if line.startswith("- ")]
    written = [(f"{p.label}: " if p.label else "") + p.text for p in kept]
    assert [b.split(" [")[0] for b in bullets] == written
    variants = query.explain(shipped_kb, "endoscopic", region="low-back").variants
    assert variants
    assert all(Region.LUMBAR in v.regions for v in variants)
    assert len(variants) < len(query.explain(shipped_kb, "endoscopic").variants)


@pytest.mark.parametrize("words", ["main risks", "awake", "blood loss"])
def test_no_search_hit_ends_in_two_full_stops(shipped_kb, words):
    view = query.find(shipped_kb, words, W, limit=50)
    for hit in view.hits:
        assert not re.search(r"[^.]\.\.(?!\.)", hit.document.text), hit.document.text
