"""Speed: the launcher, replay, fingerprints and caches, wrapped around the app.

Nothing else in foracli imports this package (a test enforces it).
"""
