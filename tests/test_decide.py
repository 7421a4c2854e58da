"""`decide` and `about`: the option grid, icon arrays, what matters, the SURE test, the
answers file and its errors, the walk on a pseudo-terminal, privacy, the handout."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from foracli.app import decide as deciding
from foracli.app.cli import run
from foracli.app.present import Environment
from foracli.content import words
from foracli.core.about import about
from foracli.core.decide import (
    DEFAULT_OPTIONS,
    FACTORS,
    GRID_ASPECTS,
    Answers,
    Importance,
    decide,
    is_operation,
)
from foracli.core.errors import AnswersError
from foracli.core.figures import figure_problems, frequencies
from foracli.core.model import Approach, Region
from foracli.render import TerminalSettings
from foracli.render.decision import cell, render_decision, row_question
from foracli.render.icons import icon_rows, icon_svg, marks
from foracli.render.terminal import TerminalRenderer
from tests.conftest import write_kb

W = words()
SCRIPT = str(Path(sys.executable).with_name("foracli"))
GOOD = """\
region: low-back
matters:
  time-off-work: a-lot
  avoid-surgery: a-little
  scar: not-much
sure:
  sure: no
  understand: yes
  risk-benefit: yes
  encouragement: yes
questions:
  - "Zebra question: how many of these have you done?"
"""


def plain(view) -> str:
    out = io.StringIO()
    render_decision(view, out, W)
    return out.getvalue()


def rich(view, width: int) -> str:
    out = io.StringIO()
    TerminalRenderer(TerminalSettings(width=width, force_terminal=False)).render(view, out)
    return out.getvalue()


def cli(args, tmp_path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FORACLI_CACHE_DIR": str(tmp_path / "cache"), "COLUMNS": "100"}
    env.pop("FORACLI_KB", None)
    return subprocess.run(
        [SCRIPT, *args], capture_output=True, text=True, env=env, cwd=tmp_path, input=stdin
    )


# -- the options and the grid ------------------------------------------------------


@pytest.mark.parametrize("region", [None, "neck", "low-back"])
def test_the_usual_options_include_not_having_surgery(shipped_kb, region):
    """With no options, the region's usual choices, care without surgery among them."""
    view = decide(shipped_kb, answers=Answers(region=region))
    where = {None: None, "neck": Region.CERVICAL, "low-back": Region.LUMBAR}[region]
    assert tuple(p.id for p in view.options) == DEFAULT_OPTIONS[where]
    assert any(p.approach is Approach.NON_SURGICAL for p in view.options)


def test_grid_rows_are_questions_in_order(shipped_kb):
    """Each row is one of the questions patients ask, worded as a question; with no region,
    an aspect whose values differ by region is asked once per region, naming it."""
    view = decide(shipped_kb)
    assert list(dict.fromkeys(r.spec.key for r in view.grid.rows)) == list(GRID_ASPECTS)
    text = plain(view)
    for row in view.grid.rows:
        asked = row_question(view, row, W)
        assert asked.endswith(("?", ")"))
        assert f"\n{asked}\n" in text
    asked = [row_question(view, r, W) for r in view.grid.rows if r.spec.key == "pain-relief"]
    assert asked == ["Will it help my arm pain?", "Will it help my leg pain?"]
    assert "Will I be awake? (neck)" in text
    assert "Will I be awake? (low back)" in text


@pytest.mark.parametrize(
    ("region", "asked"),
    [("neck", "Will it help my arm pain?"), ("low-back", "Will it help my leg pain?")],
)
def test_the_pain_question_names_the_region_s_pain(shipped_kb, region, asked):
    """For the neck the grid asks about arm pain, for the low back about leg pain."""
    view = decide(shipped_kb, answers=Answers(region=region))
    assert [r.region for r in view.grid.rows] == [None] * len(GRID_ASPECTS)
    assert f"\n{asked}\n" in plain(view)
    assert "arm or leg pain" not in plain(view)


@pytest.mark.parametrize("region", [None, "neck", "low-back"])
def test_ipdas_every_option_shows_benefits_and_harms(shipped_kb, region):
    """IPDAS: every option shows a positive feature (relief) and a negative one (problems
    or another operation), with sources, or says there is no good evidence."""
    view = decide(shipped_kb, answers=Answers(region=region))
    rows = {r.spec.key: r for r in view.grid.rows}
    for n, proc in enumerate(view.options):
        benefit = cell(view, rows["pain-relief"], n, W)
        assert benefit.sources, proc.id
        harms = [cell(view, rows[k], n, W) for k in ("complications", "reoperation")]
        assert any(h.sources for h in harms), proc.id


def test_ipdas_every_probability_is_per_100_with_a_time_frame(shipped_kb):
    """IPDAS: the shipped knowledge base has no risk or benefit figure that is not per 100
    or has no time frame, and every icon array and numeric grid cell states one."""
    assert [(p.id, list(figure_problems(p))) for p in shipped_kb.procedures.values()] == [
        (p.id, []) for p in shipped_kb.procedures.values()
    ]
    for region in (None, "neck", "low-back"):
        view = decide(shipped_kb, answers=Answers(region=region))
        assert view.icons
        for icons in view.icons:
            assert icons.timeframe
        for row in view.grid.rows:
            if row.spec.unit == "in 100":
                for n, value in enumerate(row.values):
                    if value is not None and value.low is not None:
                        said = cell(view, row, n, W).text
                        assert f" in 100 people ({value.timeframe}" in said or (
                            f"; {value.timeframe})" in said
                        )


def test_ipdas_review_date_and_about_statement_are_shown(shipped_kb):
    """IPDAS: the page shows its review dates and who made it, in every format."""
    view = decide(shipped_kb)
    review = W.review(view.options)
    for text in (plain(view), rich(view, 100)):
        flat = " ".join(text.split())
        assert review in flat
        assert W.text("about.footer") in flat
        assert W.text("disclaimer") in flat


def test_operation_only_rows_say_no_operation_for_care_without_surgery(shipped_kb):
    """Scar, anaesthesia and hospital stay: 'No operation.', not 'no data'."""
    view = decide(shipped_kb)
    column = next(n for n, p in enumerate(view.options) if not is_operation(p))
    for row in view.grid.rows:
        found = cell(view, row, column, W).text
        if row.spec.key in ("incision", "anaesthesia", "hospital-stay"):
            assert found == "No operation."
        elif row.values[column] is None:
            assert found == "We found no good evidence."


def test_cells_that_cannot_be_compared_say_why(shipped_kb):
    """Off work: desk work against full military duty, said under the grid."""
    view = decide(shipped_kb)
    assert (
        "How long will I be off work? Not comparable, as these figures measured different "
        "things (desk work, full military duty)."
    ) in plain(view)


def grid_lines(view, width: int) -> list[str]:
    """The option grid's box (top to bottom border) as drawn by the Rich renderer."""
    lines = rich(view, width).splitlines()
    top = next(i for i, line in enumerate(lines) if line.startswith("╭"))
    bottom = next(i for i, line in enumerate(lines) if line.startswith("╰"))
    assert all(len(line) <= width for line in lines)
    return lines[top : bottom + 1]


THREE = {
    "neck": ("endoscopic-cervical-foraminotomy", "open-foraminotomy", "acdf"),
    "low-back": ("endoscopic-foraminotomy", "open-foraminotomy", "lumbar-fusion"),
}


@pytest.mark.parametrize("region", ["neck", "low-back"])
def test_grid_for_three_options_fits_one_screen_at_100_columns(shipped_kb, region):
    """Issue 15: the grid table for three options is at most 40 lines at 100 columns."""
    grid = grid_lines(decide(shipped_kb, THREE[region], Answers(region=region)), 100)
    assert len(grid) <= 40
    assert "Open foraminotomy" in grid[2] or "Open foraminotomy" in grid[3]


@pytest.mark.parametrize("region", ["neck", "low-back"])
def test_grid_for_the_four_default_options_at_100_columns(shipped_kb, region):
    """The default view (four options) draws every option and stays within 52 lines."""
    view = decide(shipped_kb, answers=Answers(region=region))
    assert len(view.options) == 4
    grid = grid_lines(view, 100)
    assert len(grid) <= 52
    assert any("Non-surgical care" in line for line in grid[:4])


# -- icon arrays ---------------------------------------------------------------------


def test_icon_array_marks_low_range_and_rest():
    """5 to 14 in 100: 5 filled, 9 in the range, 86 empty, in rows of ten."""
    assert marks(5, 14).count(0) == 5
    assert marks(5, 14).count(1) == 9
    assert marks(5, 14).count(2) == 86
    rows = icon_rows(5, 14, ascii_only=True)
    assert rows[0] == "# # # # # + + + + +"
    assert rows[1] == "+ + + + . . . . . ."
    assert len(rows) == 10
    assert icon_rows(3, 3)[0] == "● ● ● ○ ○ ○ ○ ○ ○ ○"


def test_icon_svg_is_inline_with_100_circles():
    """The handout's picture: one SVG, 100 circles, no external reference."""
    svg = icon_svg(4, 16, "Open: about 4 to 16 in 100")
    assert svg.count("<circle") == 100
    assert "href" not in svg
    assert "<title>Open: about 4 to 16 in 100</title>" in svg


def test_pipes_get_ascii_icons_and_terminals_unicode(shipped_kb):
    """Plain text draws # + . ; Rich on a UTF-8 stream draws ● ◐ ○."""
    view = decide(shipped_kb)
    assert "\n# # # # # + + + + +\n" in plain(view)
    assert "●" not in plain(view)
    assert "● ● ● ● ●" in rich(view, 100)


# -- what matters, no score, no recommendation ---------------------------------------


def test_what_matters_side_by_side_a_lot_first_not_much_left_out(shipped_kb):
    """The factors the person weighed, most important first, each option's cell beside it."""
    answers = Answers(
        matters={
            "scar": Importance.NOT_MUCH,
            "avoid-surgery": Importance.A_LITTLE,
            "time-off-work": Importance.A_LOT,
        }
    )
    view = decide(shipped_kb, answers=answers)
    assert [m.factor.key for m in view.matters] == ["time-off-work", "avoid-surgery"]
    text = plain(view)
    part = text.split("\nWhat matters to you\n", 1)[1].split("\nReady to decide?", 1)[0]
    assert part.startswith(
        "Time off work matters a lot to you.\n- Endoscopic foraminotomy: 1 to 2 weeks (desk work)."
    )
    assert "Avoiding surgery matters a little to you." in part
    assert (
        "- Non-surgical care (waiting, physical therapy, medicines, steroid injections): "
        "No operation."
    ) in part
    assert "scar" not in part.lower()


def test_no_score_and_no_recommendation(shipped_kb):
    """Nothing ranks the options or tells the person which to choose."""
    answers = Answers(matters={f.key: Importance.A_LOT for f in FACTORS})
    text = plain(decide(shipped_kb, answers=answers)).lower()
    for word in ("recommend", "best option", "we suggest", "you should choose", "points"):
        assert word not in text


def test_sure_score_and_the_three_questions(shipped_kb):
    """Three yes and one no: 3 of 4, and the advice to talk it through."""
    answers = Answers(
        sure={"sure": False, "understand": True, "risk-benefit": True, "encouragement": True}
    )
    text = plain(decide(shipped_kb, answers=answers))
    assert "- Do you feel sure about the best choice for you? no\n" in text
    assert "You answered yes to 3 of 4.\n" in text
    assert W.text("decide.sure.conflict") in text
    assert "1. What are my options?\n2. What are the benefits and risks of each?\n" in text
    assert "3. How likely are they for me?\n" in text


# -- the answers file and options ----------------------------------------------------


def test_answers_file_drives_the_json_summary(tmp_path):
    """The non-interactive path: an answers file, JSON out, the shape the README gives."""
    (tmp_path / "answers.yaml").write_text(GOOD)
    result = cli(["decide", "--answers", "answers.yaml", "-f", "json"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    doc = json.loads(result.stdout)
    assert doc["schema_version"] == 2
    assert doc["kind"] == "decision"
    assert doc["region"] == "lumbar"
    assert [o["id"] for o in doc["options"]] == list(DEFAULT_OPTIONS[Region.LUMBAR])
    assert [m["factor"] for m in doc["matters"]] == ["time-off-work", "avoid-surgery"]
    assert doc["sure"] == {
        "answers": {"sure": False, "understand": True, "risk-benefit": True, "encouragement": True},
        "score": 3,
    }
    assert doc["own_questions"] == ["Zebra question: how many of these have you done?"]
    assert set(doc) == {
        "schema_version",
        "kind",
        "region",
        "options",
        "grid",
        "icons",
        "factors",
        "matters",
        "sure",
        "three_questions",
        "own_questions",
        "sources",
        "reviewed",
        "next_review",
        "about",
        "disclaimer",
    }
    row = doc["grid"][0]
    assert set(row) == {"aspect", "region", "question", "cells", "comparable", "why_not"}
    assert row["region"] is None  # a region was asked for: one row per aspect
    assert set(row["cells"]["endoscopic-foraminotomy"]) == {"text", "certainty", "sources", "value"}
    assert set(doc["icons"][0]) == {"aspect", "procedure", "low", "high", "per", "timeframe"}


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        (
            "matters:\n  scar: a-lots\n",
            "2:9",
            "how much 'scar' matters 'a-lots' is not one of: a-lot, a-little, not-much",
        ),
        ("matters:\n  the-scar: a-lot\n", "2:3", "unknown key 'the-scar' in matters"),
        ("region: low-back\nsure:\n  sure: maybe\n", "3:9", "sure: sure must be yes or no"),
        ("region: knee\n", "1:9", "region 'knee' is not one of: neck, low-back"),
        ("- a list\n", "1:1", "the answers file must be a mapping"),
        ("matters: [\n", "2:1", ""),
    ],
)
def test_a_bad_answers_file_gets_one_located_line_and_exit_2(tmp_path, text, where, message):
    """`foracli: answers.yaml:LINE:COL: ...`, exit 2, nothing on stdout."""
    (tmp_path / "answers.yaml").write_text(text)
    result = cli(["decide", "--answers", "answers.yaml"], tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"foracli: answers.yaml:{where}: "), lines[0]
    assert message in lines[0]


def test_a_missing_answers_file_is_one_line_too(tmp_path):
    """No such file: located at 1:1, exit 2."""
    result = cli(["decide", "--answers", "nope.yaml"], tmp_path)
    assert result.returncode == 2
    assert result.stderr == "foracli: nope.yaml:1:1: no such file\n"


def test_matters_and_sure_options(tmp_path):
    """--matters and --sure give the same answers without a file; bad ones exit 2."""
    result = cli(
        [
            "decide",
            "-r",
            "neck",
            "-m",
            "awake",
            "-m",
            "scar=a-little",
            "--sure",
            "yes,yes,yes,yes",
            "-f",
            "json",
        ],
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert [(m["factor"], m["importance"]) for m in doc["matters"]] == [
        ("awake", "a-lot"),
        ("scar", "a-little"),
    ]
    assert doc["sure"]["score"] == 4
    bad = cli(["decide", "-m", "money"], tmp_path)
    assert bad.returncode == 2
    assert "'money' is not one of: time-off-work" in bad.stderr
    assert cli(["decide", "--sure", "yes"], tmp_path).returncode == 2


def test_markdown_summary_has_room_to_write(tmp_path):
    """--format markdown: the grid as a table and blank lines for the answers."""
    (tmp_path / "answers.yaml").write_text(GOOD)
    result = cli(["decide", "--answers", "answers.yaml", "-f", "markdown"], tmp_path)
    assert result.returncode == 0
    assert "| | Endoscopic foraminotomy | Open foraminotomy |" in result.stdout
    assert "## To take to your surgeon" in result.stdout
    assert "1. What are my options?\n\n   ______________________" in result.stdout


def test_read_answers_round_trips_what_the_walk_saves(tmp_path):
    """answers_yaml writes what read_answers reads back, quotes and all."""
    answers = Answers(
        {"scar": Importance.A_LOT}, {"sure": True}, ('He said "maybe": 3 weeks?',), "neck", ()
    )
    path = tmp_path / "a.yaml"
    path.write_text(deciding.answers_yaml(answers))
    assert deciding.read_answers(path) == answers
    with pytest.raises(AnswersError):
        deciding.read_answers(tmp_path / "missing.yaml")


# -- privacy ---------------------------------------------------------------------------


def test_answers_never_reach_the_caches(tmp_path):
    """Two identical runs with answers through the launcher: the cache folder holds no
    byte of the answers and no recorded decide output; both runs print the same."""
    (tmp_path / "answers.yaml").write_text(GOOD)
    first = cli(["decide", "--answers", "answers.yaml"], tmp_path)
    second = cli(["decide", "--answers", "answers.yaml"], tmp_path)
    assert first.returncode == second.returncode == 0
    assert first.stdout == second.stdout
    assert "Zebra question" in first.stdout
    for path in (tmp_path / "cache").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"Zebra" not in data, path
            assert b"Your choices" not in data, path


def test_decide_never_calls_the_recording_hook(shipped_kb, tmp_path):
    """In process, with a recording hook set: decide never hands it anything."""
    recorded: list[bytes] = []
    out = io.StringIO()
    env = Environment(stdin=io.StringIO(), stdout=out, record=recorded.append)
    code = run(["decide", "--matters", "scar", "-f", "text"], env)
    assert code == 0
    assert "The size of the scar matters a lot to you." in out.getvalue()
    assert recorded == []


# -- the walk on a pseudo-terminal ------------------------------------------------------


ANSI = re.compile(rb"\x1b\[[0-9;]*m")


class Terminal:
    """foracli on a pseudo-terminal: type answers, read what it draws (colours taken out)."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        self.fd, terminal = pty.openpty()
        env = {
            **os.environ,
            "COLUMNS": "100",
            "LINES": "50",
            "TERM": "xterm",
            "FORACLI_CACHE_DIR": str(cwd / "cache"),
        }
        for name in ("NO_COLOR", "FORCE_COLOR", "FORACLI_KB", "PAGER"):
            env.pop(name, None)
        self.proc = subprocess.Popen(
            [SCRIPT, *args],
            stdin=terminal,
            stdout=terminal,
            stderr=subprocess.PIPE,
            env=env,
            cwd=cwd,
            start_new_session=True,
        )
        os.close(terminal)
        self.seen = b""

    def expect(self, needle: bytes, timeout: float = 30) -> bytes:
        """Read until *needle* appears after what was already matched; what came before."""
        end = time.monotonic() + timeout
        while needle not in self.seen:
            ready = select.select([self.fd], [], [], max(0.0, end - time.monotonic()))[0]
            assert ready, f"timed out waiting for {needle!r}: {self.seen[-400:]!r}"
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                data = b""
            assert data, f"ended before {needle!r}: {self.seen[-400:]!r}"
            self.seen = ANSI.sub(b"", self.seen + data)
        before, _, self.seen = self.seen.partition(needle)
        return before

    def type(self, text: str) -> None:
        os.write(self.fd, text.encode() + b"\r")

    def finish(self) -> tuple[int, str]:
        while True:  # drain, so the child never blocks on a full terminal
            try:
                if not select.select([self.fd], [], [], 5)[0] or not os.read(self.fd, 65536):
                    break
            except OSError:
                break
        code = self.proc.wait(timeout=30)
        os.close(self.fd)
        assert self.proc.stderr is not None
        return code, self.proc.stderr.read().decode()


def answer_all(term: Terminal) -> None:
    for n, answer in enumerate(["1", "2", "3", "1", "2", "3", "y", "n", "y", "y"], start=1):
        term.expect(f"Question {n} of 10".encode())
        term.expect(b"/b]")  # the end of the prompt's choices
        term.type(answer)


def test_walk_typing_answers_then_saving_them(tmp_path):
    """Ten answers, the decision with them, then a file the person names."""
    term = Terminal(["decide", "--region", "low-back", "--no-pager"], tmp_path)
    answer_all(term)
    term.expect("│ Time off".encode())
    term.expect(b"You answered yes to 3 of 4.")
    term.expect(b"Type a file name, or press Enter to skip")
    term.type("mine.yaml")
    term.expect(b"saved your answers to mine.yaml")
    code, err = term.finish()
    assert (code, err) == (0, "")
    saved = deciding.read_answers(tmp_path / "mine.yaml")
    assert saved.matters["time-off-work"] is Importance.A_LOT
    assert saved.matters["another-operation"] is Importance.A_LITTLE
    assert saved.sure == {
        "sure": True,
        "understand": False,
        "risk-benefit": True,
        "encouragement": True,
    }
    assert saved.region == "low-back"


def test_walk_going_back_changes_an_answer(tmp_path):
    """b goes back one question; the new answer replaces the old; b at the first says so."""
    term = Terminal(["decide", "--no-pager"], tmp_path)
    term.expect(b"Question 1 of 10")
    term.expect(b"/b]")
    term.type("b")
    term.expect(b"This is the first question.")
    term.expect(b"Question 1 of 10")
    term.expect(b"/b]")
    term.type("3")
    term.expect(b"Question 2 of 10")
    term.expect(b"/b]")
    term.type("b")
    term.expect(b"Question 1 of 10")
    term.expect(b"/b]")
    term.type("1")
    for n, answer in enumerate(["3", "3", "3", "3", "3", "y", "y", "y", "y"], start=2):
        term.expect(f"Question {n} of 10".encode())
        term.expect(b"/b]")
        term.type(answer)
    term.expect("│ Time off".encode())
    term.expect(b"Type a file name, or press Enter to skip")
    term.type("")
    code, err = term.finish()
    assert (code, err) == (0, "")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache"]


def test_walk_ctrl_c_leaves_cleanly_with_nothing_written(tmp_path):
    """Ctrl-C mid-walk: one line on stderr, exit 130, no traceback, no file."""
    term = Terminal(["decide", "--no-pager"], tmp_path)
    term.expect(b"Question 1 of 10")
    term.expect(b"/b]")
    term.type("1")
    term.expect(b"Question 2 of 10")
    term.expect(b"/b]")
    os.killpg(term.proc.pid, signal.SIGINT)
    code, err = term.finish()
    assert code == 130
    assert err == "foracli: stopped; nothing was saved\n"
    assert [p.name for p in tmp_path.iterdir() if p.name != "cache"] == []


def test_walk_refuses_to_replace_a_file(tmp_path):
    """Saving over an existing file: one line, the old file untouched."""
    (tmp_path / "mine.yaml").write_text("keep me\n")
    term = Terminal(["decide", "--no-pager"], tmp_path)
    answer_all(term)
    term.expect(b"Type a file name, or press Enter to skip")
    term.type("mine.yaml")
    code, err = term.finish()
    assert code == 1
    assert err == "foracli: 'mine.yaml' already exists; use --force to replace it\n"
    assert (tmp_path / "mine.yaml").read_text() == "keep me\n"


def test_no_walk_in_a_pipe(tmp_path):
    """stdin and stdout not terminals: no questions, the grid straight away."""
    result = cli(["decide"], tmp_path, stdin="1\n")
    assert result.returncode == 0
    assert "Question 1 of 10" not in result.stdout
    assert result.stdout.startswith("Your choices: Endoscopic foraminotomy, Open foraminotomy")


# -- the handout and about --------------------------------------------------------------


def test_handout_decide_writes_a_self_contained_page(tmp_path):
    """handout --decide: grid, inline SVG icon arrays, room to write, the about footer."""
    (tmp_path / "answers.yaml").write_text(GOOD)
    result = cli(["handout", "--decide", "answers.yaml", "-o", "d.html"], tmp_path)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "d.html").read_text()
    assert page.count("<svg") == len(decide_view_icons())
    assert "<script" not in page
    assert not re.search(r"(src|href)=\"(?!https?://)", page)
    assert 'class="answer"' in page
    assert "Zebra question" in page
    assert W.text("about.footer").replace("'", "&#x27;") in page
    assert "How long will I be off work?" in page


def decide_view_icons():
    from foracli.kb.loader import load_knowledge_base

    return decide(load_knowledge_base([]), answers=Answers(region="low-back")).icons


def test_handout_decide_bad_answers_writes_nothing(tmp_path):
    """A bad answers file: the located line, exit 2, no output file."""
    (tmp_path / "answers.yaml").write_text("matters:\n  scar: lots\n")
    result = cli(["handout", "--decide", "answers.yaml", "-o", "d.html"], tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("foracli: answers.yaml:2:9: ")
    assert not (tmp_path / "d.html").exists()


def test_handout_needs_a_procedure_or_decide(tmp_path):
    """Neither a procedure nor --decide: a usage error."""
    result = cli(["handout", "-o", "x.html"], tmp_path)
    assert result.returncode == 2
    assert "give a procedure (or --decide ANSWERS)" in result.stderr


def test_about_states_who_how_money_and_dates(shipped_kb, tmp_path):
    """about: the four parts, with the knowledge base's real review dates."""
    result = cli(["about", "-f", "text"], tmp_path)
    assert result.returncode == 0
    facts = about(shipped_kb)
    for heading in (
        "Who wrote it",
        "How the evidence was chosen and graded",
        "Funding and conflicts of interest",
        "Review dates and updates",
    ):
        assert f"\n{heading}\n" in result.stdout
    assert f"Next review due by {facts.due.isoformat()}." in result.stdout
    assert W.text("disclaimer") in result.stdout
    doc = json.loads(cli(["about", "-f", "json"], tmp_path).stdout)
    assert doc["kind"] == "about"
    assert doc["next_review"] == facts.due.isoformat()


# -- validate ------------------------------------------------------------------------------


def test_frequencies_finds_every_denominator():
    """'8 in 10', '1 to 2 in 100', '4 in 1,000' are all frequencies."""
    assert frequencies("about 8 in 10, 1 to 2 in 100 and 4 in 1,000 people") == [
        ("8 in 10", 10),
        ("1 to 2 in 100", 100),
        ("4 in 1,000", 1000),
    ]


def test_validate_flags_figures_not_per_100_or_without_a_time(tmp_path):
    """A risk 'in 10' and an 'in 100' figure with no time: two warnings; --strict fails."""
    root = write_kb(tmp_path / "kb", PROCEDURE)
    result = cli(["validate", str(root), "--strict"], tmp_path)
    assert result.returncode == 3
    assert "'8 in 10' in 'risks' is not per 100; give it as 'N in 100'" in result.stdout
    assert "a figure in 'aspect complications' says 'in 100' but gives no timeframe" in (
        result.stdout
    )
    assert "a figure in 'benefits' says 'in 100'" not in result.stdout  # "at 1 year"


def risk_page(text: str, timeframe: str | None) -> str:
    """A page whose one risk point says *text*, with *timeframe* (None: no field)."""
    line = f"\n      timeframe: {timeframe}" if timeframe is not None else ""
    # PROCEDURE's header, with one risk point in place of its sections.
    head = PROCEDURE.split("sections:", 1)[0]
    return head + RISK_SECTION.format(text=text, timeframe=line)


@pytest.mark.parametrize(
    ("text", "timeframe", "warning"),
    [
        ("About 5 in 100 people had a problem.", "no time frame recorded", "placeholder"),
        ("About 5 in 100 had a problem within 1 year.", "no time frame recorded", "placeholder"),
        ("About 5 in 100 people had a problem.", "No time frame recorded ", "placeholder"),
        ("About 5 in 100 people had a problem.", None, "no-timeframe"),
        ("About 5 in 100 people had a problem.", "not stated in the review", None),
        ("About 5 in 100 had a problem within 1 year.", None, None),
        ("A problem is rare, about 2 in 1,000.", "no time frame recorded", None),
    ],
)
def test_validate_flags_the_placeholder_time_frame(tmp_path, text, timeframe, warning):
    """The migration's placeholder is no time frame: --strict fails on it even where the
    text names a time, as it would be shown as the figure's time; a time frame that says
    the source gives none passes. Figures not 'in 100' need none."""
    root = write_kb(tmp_path / "kb", risk_page(text, timeframe), DATED_SOURCE)
    result = cli(["validate", str(root), "--strict"], tmp_path)
    messages = {
        "placeholder": "a figure in 'risks' says 'in 100' but its timeframe is the placeholder "
        "'no time frame recorded': say over what time it was counted, or that the source "
        "does not say",
        "no-timeframe": "a figure in 'risks' says 'in 100' but gives no timeframe",
    }
    if warning is None:
        assert result.returncode == 0, result.stdout
        assert "timeframe" not in result.stdout
        return
    assert result.returncode == 3
    assert [m for m in messages.values() if m in result.stdout] == [messages[warning]]
    assert result.stdout.count("'risks'") == 1


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("About 5 in 100 people had a problem.", True),
        ("About 5 in 100 had a problem within 1 year.", False),
    ],
)
def test_explain_and_handout_show_a_points_time_frame_after_its_figure(tmp_path, text, shown):
    """A point's time frame follows its text where a figure names no time of its own, in
    plain text, Markdown and the handout; a text that names its time is left alone."""
    root = write_kb(tmp_path / "kb", risk_page(text, "not stated in the review"), DATED_SOURCE)
    time = " Time: not stated in the review."
    for fmt in ("text", "markdown"):
        result = cli(["explain", "keyhole", "--kb", str(root), "-f", fmt, "-s", "risks"], tmp_path)
        assert result.returncode == 0, result.stderr
        assert (text + time in result.stdout) is shown
        assert text in result.stdout
    result = cli(["handout", "keyhole", "--full", "--kb", str(root), "-o", "h.html"], tmp_path)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "h.html").read_text()
    assert (text + time in page) is shown
    assert text in page


RISK_SECTION = """\
sections:
  what:
    - A small operation.
  risks:
    - text: {text}
      sources: [s-2020]
      certainty: low{timeframe}
"""

DATED_SOURCE = """\
sources:
  s-2020:
    title: A study
    year: 2020
    url: https://example.org/s
    type: cohort
    level: 3
"""

PROCEDURE = """\
id: keyhole
name: Keyhole surgery
summary: A small operation.
approach: endoscopic
regions: [lumbar]
reviewed: 2026-01-15
next_review: 2028-01-15
sections:
  what:
    - A small operation.
  benefits:
    - text: About 80 in 100 people have less pain at 1 year.
      sources: [s-2020]
      certainty: low
  risks:
    - text: About 8 in 10 people have no problem.
      sources: [s-2020]
      certainty: low
aspects:
  complications:
    low: 2
    high: 4
    unit: in 100
    sources: [s-2020]
"""


def test_readme_ipdas_table_names_tests_that_exist():
    """Every test the README's IPDAS table names is a test in this file, and the rows a
    rule can check each name one."""
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    table = readme.split("### IPDAS criteria and how foracli meets them", 1)[1].split("\n\n")[1]
    rows = [line.split(" | ") for line in table.splitlines()[2:]]
    named = {n for row in rows for n in re.findall(r"`(test_\w+)`", row[-1])}
    assert named <= set(globals())
    checkable = (
        "positive and negative",
        "including doing nothing",
        "same denominator",
        "the date and the update policy",
    )
    for words_ in checkable:
        row = next(r for r in rows if words_ in r[0])
        assert re.search(r"`test_\w+`", row[-1]), row[0]
