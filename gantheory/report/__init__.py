"""Render verdicts: terminal table, JSON (notes in LaTeX/Markdown live in ``_notes``)."""

from gantheory.report._table import summary, table

__all__ = ["summary", "table"]
