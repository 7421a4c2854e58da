"""The decision aid: the options, the option grid, what matters to the person, readiness.

Pure decisions on the model, no words and no input: the grid's rows are aspect keys
(content words them as the questions patients ask), the person's answers arrive as
data (`Answers`), and the view shows how each option fares on what they said matters.
No score and no recommendation (IPDAS): nothing here ranks the options.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum

from foracli.core.errors import DecideError
from foracli.core.model import Approach, AspectValue, KnowledgeBase, Procedure, Region
from foracli.core.record import field, record

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:  # query imports this module for its View union
    from foracli.core.query import ComparisonView


class Importance(StrEnum):
    """How much a factor matters to the person (Ottawa Personal Decision Guide, step 4)."""

    A_LOT = "a-lot"
    A_LITTLE = "a-little"
    NOT_MUCH = "not-much"


@record
class Factor:
    """Something that may matter to the person, and the grid row that answers it."""

    key: str
    aspect: str | None  # None: answered by whether the option is an operation at all


# What matters most to people choosing (the list), in the order asked.
FACTORS: tuple[Factor, ...] = (
    Factor("time-off-work", "return-to-work"),
    Factor("another-operation", "reoperation"),
    Factor("scar", "incision"),
    Factor("awake", "anaesthesia"),
    Factor("avoid-surgery", None),
    Factor("recovery-time", "return-to-activity"),
)
FACTORS_BY_KEY = {f.key: f for f in FACTORS}

# The grid's rows, benefit first and risks next: each is worded as a question.
GRID_ASPECTS = (
    "pain-relief",
    "complications",
    "reoperation",
    "anaesthesia",
    "incision",
    "hospital-stay",
    "return-to-work",
    "return-to-activity",
)
BENEFIT_ASPECTS = frozenset({"pain-relief"})
RISK_ASPECTS = frozenset({"complications", "reoperation", "main-risks"})
# Rows that do not arise without an operation: the cell says so instead of "no data".
OPERATION_ONLY = frozenset({"incision", "anaesthesia", "hospital-stay", "operating-time"})

# The usual choices for each region (the endoscopic operation, open or tubular surgery,
# the matching fusion, care without surgery); without a region, those for both.
DEFAULT_OPTIONS: dict[Region | None, tuple[str, ...]] = {
    Region.CERVICAL: (
        "endoscopic-cervical-foraminotomy",
        "open-foraminotomy",
        "acdf",
        "non-surgical-care",
    ),
    Region.LUMBAR: (
        "endoscopic-foraminotomy",
        "open-foraminotomy",
        "lumbar-fusion",
        "non-surgical-care",
    ),
    None: ("endoscopic-foraminotomy", "open-foraminotomy", "non-surgical-care"),
}

# The SURE test (Légaré et al. 2010): four yes/no questions, in order.
SURE_ITEMS = ("sure", "understand", "risk-benefit", "encouragement")
THREE_QUESTIONS = ("options", "benefits-risks", "likely")


@record
class Answers:
    """What the person said: how much each factor matters, the SURE answers, their
    own questions. Never stored: it lives for one run unless they save it."""

    matters: Mapping[str, Importance] = field(default_factory=dict)
    sure: Mapping[str, bool] = field(default_factory=dict)
    questions: tuple[str, ...] = ()
    region: str | None = None
    options: tuple[str, ...] = ()

    @property
    def given(self) -> bool:
        """Whether the person answered anything at all."""
        return bool(self.matters or self.sure or self.questions)


@record
class Icons:
    """An 'N in 100' figure drawn as a 10 x 10 icon array: *low* marks filled, up to
    *high* marked as the range, the rest empty."""

    aspect: str
    procedure: Procedure
    low: int
    high: int
    timeframe: str | None
    value: AspectValue


@record
class Matter:
    """One factor the person weighed, with each option's cell on it, side by side."""

    factor: Factor
    importance: Importance


@record
class Decision:
    """What `decide` shows: the option grid, the icon arrays, what matters to the person
    and how each option fares on it, and the readiness check."""

    grid: ComparisonView
    icons: tuple[Icons, ...]
    answers: Answers
    matters: tuple[Matter, ...]
    reviewed: tuple[Procedure, ...]

    @property
    def options(self) -> tuple[Procedure, ...]:
        """The options, as the grid's columns."""
        return self.grid.procedures

    @property
    def sure_score(self) -> int | None:
        """How many SURE questions were answered yes (None when none was answered)."""
        if not self.answers.sure:
            return None
        return sum(bool(self.answers.sure.get(item)) for item in SURE_ITEMS)


def decide(
    kb: KnowledgeBase, options: Sequence[str] = (), answers: Answers = Answers()
) -> Decision:
    """The decision between *options* (the region's usual choices when none are given)
    for the region in *answers*, with what the person said matters."""
    from foracli.core.query import compare, resolve_region

    where = resolve_region(answers.region) if answers.region else None
    usual = tuple(n for n in DEFAULT_OPTIONS[where] if n in kb.procedures)
    names = tuple(options) or answers.options or usual
    grid = compare(kb, names, aspects=GRID_ASPECTS, region=answers.region)
    if len(grid.procedures) < 2:
        raise DecideError("too-few")
    icons = tuple(
        Icons(
            row.spec.key,
            proc,
            round(value.low),
            round(value.high or value.low),
            value.timeframe,
            value,
        )
        for row in grid.rows
        if row.spec.unit == "in 100"
        for proc, value in zip(grid.procedures, row.values, strict=True)
        if value is not None and value.low is not None
    )
    order = list(Importance)
    matters = tuple(
        sorted(
            (
                Matter(FACTORS_BY_KEY[key], level)
                for key, level in answers.matters.items()
                if level is not Importance.NOT_MUCH
            ),
            key=lambda m: (order.index(m.importance), FACTORS.index(m.factor)),
        )
    )
    return Decision(grid, icons, answers, matters, grid.procedures)


def is_operation(proc: Procedure) -> bool:
    """Whether choosing *proc* means having an operation."""
    return proc.approach is not Approach.NON_SURGICAL


def value_for(decision: Decision, aspect: str, column: int) -> AspectValue | None:
    """The grid's value of *aspect* for the option in *column*, if the grid shows one."""
    for row in decision.grid.rows:
        if row.spec.key == aspect:
            return row.values[column]
    return None
