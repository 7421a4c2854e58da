"""Patient questions (tests/data/questions.yaml) against `ask` on the shipped knowledge base.

Each question names the page parts that answer it; `ask` must put one of them first
for at least 75% of the questions and in its top 3 for at least 90%.
`python -m tests.test_ask_questions` prints the figures for `ask` and for `search`.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest
import yaml

from foracli import content
from foracli.core.ask import ask
from foracli.core.model import KnowledgeBase
from foracli.core.search import search
from foracli.kb.loader import load_knowledge_base

QUESTIONS: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "questions.yaml").read_text(encoding="utf-8")
)
W = content.words()


@functools.cache
def shipped() -> KnowledgeBase:
    return load_knowledge_base()


def ask_rank(kb: KnowledgeBase, case: dict[str, Any]) -> int | None:
    """Where (0, 1, 2) `ask`'s answers first reach what *case* wants; None if they do not."""
    view = ask(kb, case["q"], W)
    if case.get("nothing"):
        return 0 if not view.answers else None
    places = [
        a.place if a.kind.value == "topic" else f"{a.procedure.id if a.procedure else ''}/{a.place}"
        for a in view.answers
    ]
    wanted = {case["topic"]} if "topic" in case else set(case["reach"])
    return next((n for n, p in enumerate(places) if p in wanted), None)


def search_rank(kb: KnowledgeBase, case: dict[str, Any]) -> int | None:
    """The same for `search`'s first three hits (nothing found counts for 'nothing')."""
    hits = search(kb, case["q"], W, limit=3)
    if case.get("nothing"):
        return 0 if not hits else None
    places = [f"{h.document.procedure}/{h.document.section}" for h in hits]
    wanted = set(case.get("reach", ()))
    return next((n for n, p in enumerate(places) if p in wanted), None)


def figures(rank: Any) -> tuple[float, float, list[str]]:
    """(share first, share in the top 3, the questions missed) over every question."""
    kb = shipped()
    ranks = [(case["q"], rank(kb, case)) for case in QUESTIONS]
    first = sum(r == 0 for _, r in ranks) / len(ranks)
    top3 = sum(r is not None for _, r in ranks) / len(ranks)
    return first, top3, [q for q, r in ranks if r != 0]


def test_the_question_set_is_big_and_varied():
    """At least 60 questions, some naming a procedure, some with no good answer."""
    assert len(QUESTIONS) >= 60
    assert sum("topic" in c or "nothing" in c for c in QUESTIONS) >= 5
    assert all(("reach" in c) + ("topic" in c) + ("nothing" in c) == 1 for c in QUESTIONS)


def test_ask_puts_the_right_part_first_and_in_the_top_three():
    """At least 75% first and 90% in the top 3."""
    first, top3, missed = figures(ask_rank)
    assert first >= 0.75, missed
    assert top3 >= 0.90, missed


@pytest.mark.parametrize("case", [c for c in QUESTIONS if c.get("nothing")], ids=lambda c: c["q"])
def test_a_question_foracli_knows_nothing_about_gets_no_answer(case):
    """Never a random sentence that shares a word with the question."""
    assert ask(shipped(), case["q"], W).answers == ()


if __name__ == "__main__":
    for name, rank in (("ask", ask_rank), ("search", search_rank)):
        first, top3, missed = figures(rank)
        print(f"{name}: first {first:.0%}, top 3 {top3:.0%} of {len(QUESTIONS)} questions")
        for q in missed:
            print(f"  not first: {q}")
