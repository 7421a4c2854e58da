"""Small text helpers shared by the loader, the query layer and the renderers."""

from __future__ import annotations

import re
import unicodedata

# Bidirectional overrides and isolates can make text display in a different
# order from how it reads (the "Trojan Source" trick); show them, never apply them.
_BIDI = {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"}


def _visible(ch: str) -> str:
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


# C0 controls, DEL and C1 controls (Unicode category Cc), and the bidi characters.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f" + "".join(sorted(_BIDI)) + "]")
# The same, and the line and paragraph separators, which also break a line.
_SHOWN_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029" + "".join(sorted(_BIDI)) + "]")


def clean_text(value: str) -> str:
    """Collapse whitespace to single spaces and make control characters visible.

    Knowledge-base text is data: an ESC, a C1 control or a bidi override must
    never reach a terminal raw, in any output format.
    """
    return _UNSAFE.sub(lambda m: _visible(m.group()), " ".join(value.split()))


SHOWN = 80  # characters of a user-typed value a message quotes; longer ones are cut
PATH_SHOWN = 240  # a path gets more room: real ones run past 80, and its ends matter
CUT = "…"


def shown(value: str, limit: int = SHOWN, *, middle: bool = False) -> str:
    """*value* as a message may quote it: every control and bidi character made
    visible (whitespace too: a message is one line) and, past *limit* characters,
    cut with a marker; *middle* keeps both ends (a path's file name matters).

    Whatever the user typed is data: an ESC, BEL or bidi override in an argument
    must not reach the terminal through an error message, nor 100 KB of it.
    """
    visible = _SHOWN_UNSAFE.sub(lambda m: _visible(m.group()), value)
    if len(visible) <= limit:
        return visible
    if middle:
        half = (limit - 1) // 2
        return visible[:half] + CUT + visible[len(visible) - (limit - 1 - half) :]
    return visible[: limit - 1] + CUT


# ASCII punctuation, spaces and controls: word breaks in a name.
_ASCII_BREAKS = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum()})


def normalise_name(value: str) -> str:
    """The form names are matched in: case-folded, accents dropped, words joined by '-'."""
    if value.isascii():  # the same result, ~20x faster: every lookup normalises every name
        return "-".join(value.lower().translate(_ASCII_BREAKS).split())
    return _normalise_unicode(value)


def _normalise_unicode(value: str) -> str:
    words = "".join(ch if ch.isalnum() else " " for ch in fold(value)).split()
    return "-".join(words)


def fold(text: str) -> str:
    """Case-folded, accents dropped: the form text is matched in."""
    if text.isascii():  # the same result, much faster: search folds every sentence
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
