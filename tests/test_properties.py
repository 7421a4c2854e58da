"""Property-based: whatever text or structure the loader is given, the only outcomes
are a valid model or a clean KnowledgeBaseError, and rendering never leaks controls."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from foracli.app.output import TerminalSettings
from foracli.core import query
from foracli.core.errors import KnowledgeBaseError
from foracli.core.model import PROCEDURE_KEYS, PROCEDURE_OPTIONAL_KEYS
from foracli.kb.loader import load_knowledge_base
from foracli.render import Format, page_renderer
from tests.conftest import PROCEDURE

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
YAMLISH = st.text(
    alphabet=st.sampled_from([*list("abc:-[]{}&*!|>'\"# \n\t0123,.?%@`"), "\x1b", "é", "\ufeff"]),
    max_size=300,
)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20)
)
STRUCTURES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)


@pytest.fixture(autouse=True, scope="module")
def no_cache():
    """Thousands of throwaway knowledge bases: do not pickle each one."""
    patch = pytest.MonkeyPatch()
    patch.setenv("FORACLI_NO_CACHE", "1")
    yield
    patch.undo()


def load_text(text: str | bytes):
    """Load a one-file knowledge base from raw content; return the KB or the error."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p.yaml"
        if isinstance(text, str):
            path.write_text(text, encoding="utf-8")
        else:
            path.write_bytes(text)
        try:
            return load_knowledge_base([path], include_shipped=False)
        except KnowledgeBaseError as error:
            failure = error
    assert failure.problems
    assert all(p.line >= 1 and p.column >= 1 for p in failure.problems)
    return failure


@SETTINGS
@given(YAMLISH)
def test_random_yamlish_text_gives_model_or_clean_error(text):
    """Random YAML-like text never crashes the loader."""
    load_text(text)


@SETTINGS
@given(st.binary(max_size=200))
def test_random_bytes_give_model_or_clean_error(data):
    """Random bytes (bad UTF-8, NULs, BOMs) never crash the loader."""
    load_text(data)


@SETTINGS
@given(STRUCTURES)
def test_random_structures_give_model_or_clean_error(value):
    """Any YAML structure, dumped safely, is loaded or refused cleanly."""
    load_text(yaml.safe_dump(value))


@SETTINGS
@given(
    st.dictionaries(
        st.sampled_from([*PROCEDURE_KEYS, *PROCEDURE_OPTIONAL_KEYS]),
        STRUCTURES,
        max_size=8,
    )
)
def test_random_procedure_shaped_mappings(value):
    """Mappings with the right keys and random values are refused cleanly."""
    load_text(yaml.safe_dump(value))


TEXT = st.text(min_size=1, max_size=80).filter(lambda t: t.strip() and not t.strip().isdigit())


@SETTINGS
@given(name=TEXT, point=TEXT)
def test_any_text_renders_in_every_format_without_raw_controls(name, point):
    """Whatever the text, every renderer runs and no C0/C1 control or bidi override leaks."""
    document = (
        PROCEDURE.replace("name: P", f"name: {_quote(name)}").replace(
            "- Plain words.", f"- text: {_quote(point)}\n      sources: [s-1]"
        )
        + "sources:\n  s-1:\n    title: T\n    url: https://e.org\n    type: cohort\n"
    )
    kb = load_text(document)
    if isinstance(kb, KnowledgeBaseError):
        return
    view = query.explain(kb, "p")
    for module in (Format.TEXT, Format.MARKDOWN, Format.JSON, Format.RICH):
        out = io.StringIO()
        page_renderer(module, TerminalSettings(plain_styles=True, width=60)).render(view, out)
        text = out.getvalue()
        bad = [
            ch
            for ch in text
            if (ord(ch) < 32 and ch != "\n")
            or 0x7F <= ord(ch) < 0xA0
            or ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
        ]
        assert bad == [], (module.__name__, bad)


def _quote(text: str) -> str:
    return '"' + text.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'


@SETTINGS
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_the_ascii_shortcut_normalises_names_exactly_as_the_unicode_path(text):
    from foracli.core.text import _normalise_unicode, normalise_name

    assert normalise_name(text) == _normalise_unicode(text)


@SETTINGS
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_search_folds_ascii_text_exactly_as_the_unicode_path(text):
    import unicodedata

    from foracli.core.search import fold

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    assert fold(text) == "".join(ch for ch in decomposed if not unicodedata.combining(ch))
