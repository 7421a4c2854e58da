"""`about`: who made this information and how, with the knowledge base's review dates."""

from __future__ import annotations

import datetime as dt

from foracli.core.model import KnowledgeBase
from foracli.core.record import record


@record
class About:
    """The facts `about` states that come from the knowledge base (the rest is words)."""

    reviewed: dt.date  # the oldest page's last review
    due: dt.date  # the soonest next review
    procedures: int
    sources: int


def about(kb: KnowledgeBase) -> About:
    """The review dates and sizes of *kb* (an empty one dates from today)."""
    procs = list(kb.procedures.values())
    today = dt.date.today()
    reviewed = min((p.reviewed for p in procs), default=today)
    due = min((p.next_review for p in procs), default=today)
    return About(reviewed, due, len(procs), len(kb.sources))
