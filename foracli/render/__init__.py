"""Renderers: plain text, Markdown, JSON and Rich (terminal). They do no other I/O."""
