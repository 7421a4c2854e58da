"""foracli: a sourced terminal reference on endoscopic and open foraminotomy."""

from __future__ import annotations

# Hard-coded: importlib.metadata costs ~70 ms at start-up (startup-and-scale.md).
# tests/test_package.py checks it against the installed metadata.
__version__ = "0.1.0"
