"""Allow `python -m foracli`."""

from __future__ import annotations

from foracli.speed.launch import main

if __name__ == "__main__":
    main()
