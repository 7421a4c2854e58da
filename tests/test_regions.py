"""Per-region aspect values (issue 15): the loader's rules, and region-pure views."""

from __future__ import annotations

import json
import re

import pytest

from foracli.app.cli import app
from foracli.content import words
from foracli.core.figures import figure_problems
from foracli.core.model import Region
from foracli.kb.loader import load_knowledge_base
from tests.conftest import PROCEDURE, write_kb

W = words("en")

BOTH = PROCEDURE.replace("regions: [lumbar]", "regions: [lumbar, cervical]")
STAY = """\
aspects:
  hospital-stay:
    - region: lumbar
      low: 1
      high: 3
      unit: days
      sources: [s-2020]
    - region: cervical
      low: 0
      high: 1
      unit: days
      sources: [s-2020]
"""


def test_a_list_holds_one_value_per_region(tmp_path):
    """An aspect written as a list loads as one value per region, in file order."""
    kb = load_knowledge_base([write_kb(tmp_path, BOTH + STAY)], include_shipped=False)
    values = kb.procedures["p"].aspect_values("hospital-stay")
    assert [(v.region, v.low, v.high) for v in values] == [
        (Region.LUMBAR, 1, 3),
        (Region.CERVICAL, 0, 1),
    ]


@pytest.mark.parametrize(
    ("page", "aspects", "at", "message"),
    [
        (
            PROCEDURE,
            STAY,
            (18, 15),
            "region 'cervical' is not one this page covers (lumbar)",
        ),
        (
            BOTH,
            STAY.replace("region: cervical", "region: lumbar"),
            (18, 15),
            "aspect 'hospital-stay' has a second value for region 'lumbar'",
        ),
        (
            BOTH,
            STAY.replace("    - region: cervical\n      low: 0", "    - low: 0"),
            (18, 7),
            "each value in the list of aspect 'hospital-stay' needs a 'region'",
        ),
        (
            BOTH,
            "aspects:\n  hospital-stay: []\n",
            (12, 18),
            "aspect 'hospital-stay' needs at least one value",
        ),
    ],
)
def test_a_bad_list_is_one_located_line_exit_3(runner, tmp_path, page, aspects, at, message):
    """validate: a region the page does not cover, two values for one region, and a list
    mixing untagged and tagged values each get one line at their place, and exit 3."""
    root = write_kb(tmp_path, page + aspects)
    result = runner.invoke(app, ["validate", str(root)])
    assert result.exit_code == 3
    path = root / "procedures" / "p.yaml"
    assert f"{path}:{at[0]}:{at[1]}: {message}" in result.stdout.splitlines()


def test_the_placeholder_time_frame_is_flagged_on_an_aspect_value(tmp_path):
    """figure_problems flags 'no time frame recorded' on an aspect value, naming its region."""
    aspects = (
        "aspects:\n  pain-relief:\n    - region: cervical\n"
        "      text: About 90 in 100 did well.\n      sources: [s-2020]\n"
        "      timeframe: no time frame recorded\n"
    )
    kb = load_knowledge_base([write_kb(tmp_path, BOTH + aspects)], include_shipped=False)
    assert list(figure_problems(kb.procedures["p"])) == [
        ("placeholder-timeframe", {"place": "aspect pain-relief (cervical)"})
    ]
    stated = aspects.replace("no time frame recorded", "not stated in the review")
    kb = load_knowledge_base([write_kb(tmp_path, BOTH + stated)], include_shipped=False)
    assert list(figure_problems(kb.procedures["p"])) == []


# -- region purity: a neck reader sees nothing for the low back, and vice versa ----

# Words that belong to one region's figures only.
WORDED = {
    "cervical": re.compile(r"\b(low back|sciatica|leg pain|from the side)\b", re.IGNORECASE),
    "lumbar": re.compile(r"\b(neck|arm pain|arm weakness)\b", re.IGNORECASE),
}
COMMANDS = [
    ["decide", "--no-walk"],
    ["decide", "--no-walk", "endoscopic", "open", "non-surgical"],
    ["compare", "endoscopic", "open", "tubular", "non-surgical", "-a", "pain-relief"],
    ["compare", "endoscopic", "open", "-a", "anaesthesia", "-a", "complications"],
    ["compare", "endoscopic", "open", "tubular", "-a", "main-risks", "-a", "reoperation"],
    ["explain", "endoscopic", "--brief", "--no-sources"],
]


def grid_text(doc: dict) -> list[str]:
    """Every value, cell and question a JSON document shows (not its sources)."""
    found = []
    for row in doc.get("rows", []) + doc.get("grid", []):
        # A decide question is worded for the region; compare's labels are fixed names.
        found.append(row.get("question") or "")
        assert row["region"] is None  # a region was asked for: no row per region
        cells = row.get("cells") or row["values"]
        for cell in cells.values():
            value = cell.get("value", cell) if cell else None
            if value:  # a cell with none may say the figure is only for the other region
                assert value["region"] in (None, doc["region"])
                found += [value.get("text") or "", value.get("note") or ""]
                found.append(cell.get("text") or "")
    for figure in doc.get("figures", []):
        assert figure["region"] in (None, doc["region"])
        found += [figure.get("text") or "", figure.get("note") or ""]
    return found


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(("flag", "region"), [("neck", "cervical"), ("low-back", "lumbar")])
def test_json_with_a_region_holds_only_that_region(runner, command, flag, region):
    """With --region, no value is tagged or worded for the other region (JSON)."""
    result = runner.invoke(app, [*command, "--region", flag, "-f", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["region"] == region
    for text in grid_text(doc):
        assert not WORDED[region].search(text), text


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(("flag", "region"), [("neck", "cervical"), ("low-back", "lumbar")])
@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_text_with_a_region_names_no_other_region(runner, command, flag, region, fmt):
    """With --region, the plain and Markdown rows and cells say nothing of the other
    region: no 'neck only'/'low back only' tag for it and no row per region."""
    result = runner.invoke(app, [*command, "--region", flag, "-f", fmt], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    other = "low back" if region == "cervical" else "neck"
    assert f"{other} only" not in result.stdout.lower()
    assert f"({other})" not in result.stdout.lower()
    if command[0] == "decide":  # its questions are worded per region; compare's labels fixed
        assert "arm or leg pain" not in result.stdout


def test_ask_with_a_region_answers_from_that_region(runner):
    """ask --region neck gives the neck's figure, not the low back's, and vice versa."""
    asked = ["ask", "will I be awake for endoscopic surgery", "-f", "json"]
    for flag, region in (("neck", "cervical"), ("low-back", "lumbar")):
        result = runner.invoke(app, [*asked, "--region", flag], catch_exceptions=False)
        assert result.exit_code == 0
        answers = [a for a in json.loads(result.stdout)["answers"] if a["kind"] == "aspect"]
        assert answers
        for answer in answers:
            assert answer["region"] in (None, region), answer
            said = answer.get("text") or ""
            assert not WORDED[region].search(said), said


def test_compare_without_a_region_has_a_row_per_region(runner):
    """With no region, an aspect with a value per region is one row per region, labelled."""
    result = runner.invoke(
        app, ["compare", "endoscopic", "open", "-a", "pain-relief", "-f", "json"]
    )
    assert result.exit_code == 0
    rows = json.loads(result.stdout)["rows"]
    assert [(r["aspect"], r["region"]) for r in rows] == [
        ("pain-relief", "cervical"),
        ("pain-relief", "lumbar"),
    ]
    plain = runner.invoke(app, ["compare", "endoscopic", "open", "-a", "pain-relief"]).stdout
    assert "\nRelief of arm or leg pain (neck)\n" in plain
    assert "\nRelief of arm or leg pain (low back)\n" in plain


@pytest.mark.parametrize(
    "command",
    [
        ["explain"],
        ["compare", "open", "endoscopic"],
        ["decide", "--no-walk"],
        ["ask", "how", "long", "off", "work"],
    ],
    ids=" ".join,
)
@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_the_emergency_line_gives_the_region_s_signs(runner, command, fmt):
    """A neck reader is told the neck's emergency signs (breathing, a swelling neck),
    a low-back reader the low back's (numbness around the bottom or genitals); a page
    for both regions gives both."""
    signs = {
        "neck": words().emergency(Region.CERVICAL),
        "low-back": words().emergency(Region.LUMBAR),
    }
    both = words().emergency()
    for flag, line in signs.items():
        result = runner.invoke(app, [*command, "--region", flag, "-f", fmt], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        flat = " ".join(result.stdout.split())
        assert line in flat
        assert both not in flat
        assert all(other not in flat for other in signs.values() if other != line)
    assert "bottom or genitals" not in signs["neck"]
    assert "breathing" not in signs["low-back"]
    result = runner.invoke(app, [*command, "-f", fmt], catch_exceptions=False)
    assert both in " ".join(result.stdout.split())
