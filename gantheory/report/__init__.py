"""Render verdicts: terminal table, JSON (notes in LaTeX/Markdown live in ``_notes``)."""

from gantheory.report._table import per_document, summary, table

__all__ = ["per_document", "summary", "table"]
