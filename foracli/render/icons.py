"""Icon arrays: an 'N in 100' figure as a 10 x 10 grid of marks, as text or as SVG.

Row by row from the top left: *low* filled marks, then marks up to *high* drawn as
the range (how far the studies disagree), then empty ones. Pure strings, no Rich.
"""

from __future__ import annotations

SIDE = 10
UNICODE = ("●", "◐", "○")
ASCII = ("#", "+", ".")


def marks(low: int, high: int) -> list[int]:
    """100 marks: 0 filled, 1 in the range, 2 empty (figures outside 0..100 are clamped)."""
    low = max(0, min(low, 100))
    high = max(low, min(high, 100))
    return [0 if n < low else 1 if n < high else 2 for n in range(SIDE * SIDE)]


def icon_rows(low: int, high: int, *, ascii_only: bool = False) -> list[str]:
    """Ten lines of ten marks, a space between marks."""
    glyphs = ASCII if ascii_only else UNICODE
    cells = [glyphs[m] for m in marks(low, high)]
    return [" ".join(cells[r * SIDE : (r + 1) * SIDE]) for r in range(SIDE)]


def icon_svg(low: int, high: int, label: str) -> str:
    """An inline SVG of the grid (circles, 10 px apart), with *label* as its title."""
    fills = ("#1f4e79", "#9dc3e6", "#ffffff")
    circles = []
    for n, mark in enumerate(marks(low, high)):
        x, y = 6 + (n % SIDE) * 12, 6 + (n // SIDE) * 12
        circles.append(
            f'<circle cx="{x}" cy="{y}" r="4.5" fill="{fills[mark]}" '
            f'stroke="#1f4e79" stroke-width="1"/>'
        )
    size = SIDE * 12
    return (
        f'<svg class="icons" role="img" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{label}</title>{''.join(circles)}</svg>"
    )
