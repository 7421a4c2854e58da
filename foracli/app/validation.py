"""`validate`: every error and warning for the user's knowledge-base paths."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path

from foracli.core.checks import content_warnings
from foracli.core.errors import KnowledgeBaseError, Problem
from foracli.kb.loader import load_knowledge_base


def validate(paths: Sequence[Path], *, today: dt.date) -> list[Problem]:
    """Every error and warning for *paths* merged over the shipped knowledge base.

    With *paths*, only problems inside them are reported: the shipped files are
    checked by their own tests, and their warnings are not the user's to fix.
    """
    try:
        kb = load_knowledge_base(paths)
        problems = content_warnings(kb, today)
    except KnowledgeBaseError as error:
        problems = error.problems
    if not paths:
        return problems
    roots = [Path(os.path.realpath(p)) for p in paths]

    def inside(problem: Problem) -> bool:
        where = Path(os.path.realpath(problem.path))
        return any(where == root or where.is_relative_to(root) for root in roots)

    return [p for p in problems if inside(p)]
