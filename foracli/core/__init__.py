"""Core: the frozen model, vocabularies as keys, views and the questions asked of them.

Imports nothing else of foracli (a test enforces the layer rule).
"""
