"""`decide`: the person's answers in (an answers file, options, or a walk on a
terminal), the decision aid out.

Private by design: answers live in memory for one run. They are never handed to
the speed layer's recording hook, never read through the knowledge-base caches,
and only written to a file the person names at the end of the walk.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from foracli import content
from foracli.app.present import Environment, present
from foracli.core.decide import (
    FACTORS,
    FACTORS_BY_KEY,
    SURE_ITEMS,
    Answers,
    Importance,
    decide,
)
from foracli.core.errors import AnswersError, ForacliError, NotFoundError, Problem
from foracli.core.model import KnowledgeBase
from foracli.core.record import replace
from foracli.render import Color, Format

if TYPE_CHECKING:
    from yaml import Node

    from foracli.kb.yamlread import NodeReader

ANSWER_KEYS = ("region", "options", "matters", "sure", "questions")
MAX_QUESTIONS = 20
STOPPED = 130  # the shell's code for a run ended by Ctrl-C


def read_answers(path: Path) -> Answers:
    """The answers in the YAML file *path*; AnswersError at the first problem, located."""
    from foracli.kb.yamlread import NodeReader, read_node

    problems: list[Problem] = []
    node = read_node(path, problems)
    reader = NodeReader(str(path), problems)
    answers = _answers(reader, node) if node is not None and not problems else Answers()
    if problems:
        raise AnswersError(problems[0])
    return answers


def _answers(reader: NodeReader, node: Node) -> Answers:
    fields = reader.mapping(node, "the answers file", (), ANSWER_KEYS) or {}
    region = reader.text(fields["region"], "region") if "region" in fields else None
    if region is not None and not _region_ok(region):
        reader.problem(fields["region"], f"region '{region}' is not one of: neck, low-back")
    options = reader.text_list(fields["options"], "options") if "options" in fields else ()
    matters: dict[str, Importance] = {}
    if "matters" in fields:
        found = reader.mapping(fields["matters"], "matters", (), FACTORS_BY_KEY) or {}
        for key, value in found.items():
            level = reader.choice(value, Importance, f"how much '{key}' matters")
            if level is not None:
                matters[key] = level
    sure: dict[str, bool] = {}
    if "sure" in fields:
        found = reader.mapping(fields["sure"], "sure", (), SURE_ITEMS) or {}
        for key, value in found.items():
            said = _yes_no(reader, value, f"sure: {key}")
            if said is not None:
                sure[key] = said
    questions = reader.text_list(fields["questions"], "questions") if "questions" in fields else ()
    if len(questions) > MAX_QUESTIONS:
        reader.problem(fields["questions"], f"questions: keep to {MAX_QUESTIONS}")
    return Answers(matters, sure, questions, region, options)


def _region_ok(name: str) -> bool:
    from foracli.core.query import resolve_region

    try:
        resolve_region(name)
    except NotFoundError:
        return False
    return True


def _yes_no(reader: NodeReader, node: Node, what: str) -> bool | None:
    """yes/no, true/false, either quoted or bare (YAML reads bare yes as true)."""
    import yaml

    if isinstance(node, yaml.ScalarNode):
        word = node.value.strip().lower()
        if word in ("yes", "true", "y"):
            return True
        if word in ("no", "false", "n"):
            return False
    reader.problem(node, f"{what} must be yes or no")
    return None


def parse_matters(given: Sequence[str]) -> dict[str, Importance]:
    """--matters FACTOR[=a-lot|a-little|not-much] (a lot when no level is given);
    ValueError with the words to show for a bad one."""
    found: dict[str, Importance] = {}
    for item in given:
        key, _, level = item.partition("=")
        if key not in FACTORS_BY_KEY:
            raise ValueError(f"'{key}' is not one of: {', '.join(f.key for f in FACTORS)}")
        try:
            found[key] = Importance(level or Importance.A_LOT.value)
        except ValueError:
            levels = ", ".join(i.value for i in Importance)
            raise ValueError(f"'{level}' is not one of: {levels}") from None
    return found


def parse_sure(given: str | None) -> dict[str, bool]:
    """--sure yes,yes,no,yes: the four SURE answers in order; ValueError when not."""
    if given is None:
        return {}
    words = [w.strip().lower() for w in given.split(",")]
    if len(words) != len(SURE_ITEMS) or any(w not in ("yes", "no") for w in words):
        raise ValueError("give four answers, each yes or no, such as yes,yes,no,yes")
    return {item: word == "yes" for item, word in zip(SURE_ITEMS, words, strict=True)}


def run(
    env: Environment,
    *,
    options: Sequence[str],
    region: str | None,
    answers_file: Path | None,
    matters: dict[str, Importance],
    sure: dict[str, bool],
    walk: bool | None,
    fmt: Format,
    color: Color,
    kb: Sequence[Path] | None,
    pager: bool | None,
) -> None:
    """The body of `decide`: gather the answers, lay out the decision, present it."""
    from foracli.app.commands import fail
    from foracli.app.output import plan_output

    private = replace(env, record=None)  # never a recording of anyone's answers
    plan = plan_output(fmt, color, isatty=env.stdout.isatty(), env=env.environ)
    interactive = env.stdin.isatty() and env.stdout.isatty() and plan.format is Format.RICH
    if walk is None:
        walk = interactive and answers_file is None and not matters and not sure
    try:
        answers = read_answers(answers_file) if answers_file else Answers()
        answers = Answers(
            {**answers.matters, **matters},
            {**answers.sure, **sure},
            answers.questions,
            region or answers.region,
            answers.options,
        )
        base = env.load(env.layers(kb))
        view = decide(base, options, answers)
    except ForacliError as error:
        fail(error, env.locale)
    if not walk:
        present(private, view, fmt, color, pager=pager)
        return
    from foracli.app.walk import Walk, save_prompt

    try:
        answers = Walk(private, plan.terminal).run(answers)
        view = decide(base, options, answers)
        present(private, view, fmt, color, pager=False)
        save_prompt(private, plan.terminal, answers)
    except (KeyboardInterrupt, EOFError) as stop:
        w = content.words(env.locale)
        env.stdout.write("\n")
        env.stdout.flush()
        sys.stderr.write(f"foracli: {w.text('decide.walk.stopped')}\n")
        raise SystemExit(STOPPED if isinstance(stop, KeyboardInterrupt) else 1) from None
    except ForacliError as error:
        fail(error, env.locale)


def answers_yaml(answers: Answers) -> str:
    """*answers* as an answers file that `--answers` and `handout --decide` read back."""
    lines = ["# foracli decide answers: written because you asked; delete it when done."]
    if answers.region:
        lines.append(f"region: {json.dumps(answers.region)}")
    if answers.options:
        lines.append("options:")
        lines += [f"  - {json.dumps(o)}" for o in answers.options]
    if answers.matters:
        lines.append("matters:")
        lines += [f"  {k}: {v.value}" for k, v in answers.matters.items()]
    if answers.sure:
        lines.append("sure:")
        lines += [f"  {k}: {'yes' if v else 'no'}" for k, v in answers.sure.items()]
    if answers.questions:
        lines.append("questions:")
        lines += [f"  - {json.dumps(q)}" for q in answers.questions]
    return "\n".join(lines) + "\n"


def write_decision(
    kb: KnowledgeBase,
    answers_file: Path,
    options: Sequence[str],
    *,
    output: Path,
    region: str | None,
    force: bool,
    fmt: str | None,
    stdout: TextIO,
) -> Path:
    """`handout --decide`: the decision aid for the answers in *answers_file*, printable."""
    import io

    from foracli.app.handout import STDOUT, _check_target, _is_html, _write_atomically

    html = _is_html(output, fmt)
    if output != STDOUT:
        _check_target(output, force=force)
    answers = read_answers(answers_file)
    if region:
        answers = replace(answers, region=region)
    view = decide(kb, options, answers)
    buffer = io.StringIO()
    w = content.words()
    if html:
        from foracli.render.decision_html import render_decision_handout

        render_decision_handout(view, buffer, w)
    else:
        from foracli.render.decision import render_decision_markdown

        render_decision_markdown(view, buffer, w)
    if output == STDOUT:
        stdout.write(buffer.getvalue())
    else:
        _write_atomically(output, buffer.getvalue(), force=force)
    return output
