"""Allow `python -m foracli`."""

from __future__ import annotations

from foracli.cli import main

if __name__ == "__main__":
    main()
