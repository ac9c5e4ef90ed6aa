"""``gantheory sources [--json] [--no-check] [-k PATTERN]``: each document, section by section, with
the claims registered for it (id, status), and the sections that have none."""

from __future__ import annotations

import json
import sys


def source_map(claims, verdicts: dict | None = None) -> list[dict]:
    """One record per document (in file order) and one for the literature; see the module docstring."""
    from gantheory.topics._sources import DOCUMENTS, NO_STATEMENT, RESTATED, document_of, section_of

    def row(c):
        v = verdicts.get(c.id) if verdicts else None
        return {"id": c.id, "status": v.status if v else "not checked", "expected": c.expected,
                "source": c.source}

    out = []
    for doc, (title, headings) in DOCUMENTS.items():
        sections = []
        for h in headings:
            sec = {"heading": h, "claims": [row(c) for c in claims
                                            if document_of(c.source) == doc and section_of(c.source) == h]}
            if (doc, h) in RESTATED:
                ids, what = RESTATED[doc, h]
                sec["restates"] = {"claims": list(ids), "statement": what}
            if (doc, h) in NO_STATEMENT:
                sec["no_statement"] = NO_STATEMENT[doc, h]
            sections.append(sec)
        unplaced = [row(c) for c in claims if document_of(c.source) == doc and section_of(c.source) is None]
        out.append({"document": doc, "title": title, "sections": sections,
                    "uncovered": [s["heading"] for s in sections
                                  if not s["claims"] and "restates" not in s and "no_statement" not in s],
                    "unplaced": unplaced})
    literature = [row(c) for c in claims if document_of(c.source) is None]
    out.append({"document": None, "title": "the literature the documents lead to", "sections": [],
                "uncovered": [], "unplaced": literature})
    return out


def cmd_sources(args) -> int:
    import gantheory
    from gantheory._runner import Interrupted, run_claims
    from gantheory.cli._common import UsageError, report_interrupt

    selected = gantheory.claims(args.k)
    if not selected:
        raise UsageError(f"-k {args.k!r} matches no claim id")
    verdicts = None
    if not args.no_check:
        try:
            verdicts = {v.id: v for v in run_claims(selected)}
        except Interrupted as exc:
            return report_interrupt(len(exc.completed), exc.total, "claims", "no map printed")
    records = source_map(selected, verdicts)
    if args.json:
        json.dump(records, sys.stdout, indent=1)
        print()
        return 0
    import textwrap

    def out(text: str, indent: str = "", more: str | None = None) -> None:
        """One printed item, wrapped to 100 columns (the full text is in --json)."""
        print(textwrap.fill(text, width=100, initial_indent=indent, subsequent_indent=more or indent + "  ",
                            break_on_hyphens=False))

    for rec in records:
        if rec["document"] is None:
            if rec["unplaced"]:
                print(f"\nLiterature ({len(rec['unplaced'])} claims, sources outside the five documents)")
                for c in rec["unplaced"]:
                    out(f"{c['id']} ({c['status']}) -- {c['source']}", "    ")
            continue
        n = sum(len(s["claims"]) for s in rec["sections"])
        own = sum(1 for s in rec["sections"] if s["claims"])
        rest = sum(1 for s in rec["sections"] if not s["claims"] and "restates" in s)
        none = sum(1 for s in rec["sections"] if not s["claims"] and "no_statement" in s)
        print()
        out(f"{rec['document']} -- {rec['title']}: {n} claims; of {len(rec['sections'])} sections {own} have "
            f"their own claims, {rest} restate claims of other sections, {none} have no mathematical statement, "
            f"{len(rec['uncovered'])} are not covered")
        for s in rec["sections"]:
            out(f"§ {s['heading']}", "  ")
            if s["claims"]:
                out(", ".join(f"{c['id']} ({c['status']})" for c in s["claims"]), "      ", "      ")
            if "restates" in s:
                out(f"-- restates: {', '.join(s['restates']['claims'])} ({s['restates']['statement']})", "      ",
                    "         ")
            if "no_statement" in s and not s["claims"]:
                out(f"-- no mathematical statement: {s['no_statement']}", "      ", "         ")
            if not s["claims"] and "restates" not in s and "no_statement" not in s:
                print("      -- no claim")
    return 0


def add_sources_command(sub) -> None:
    p = sub.add_parser("sources", help="each document section by section, with its claims",
                       description="For each source document, every section heading as printed with the "
                       "claims registered for it (id, status), and the sections with none.")
    p.add_argument("--json", action="store_true", help="one JSON array: a record per document")
    p.add_argument("--no-check", action="store_true", help="list the claims without checking them")
    p.add_argument("-k", metavar="PATTERN", default=None, help="only claims whose id matches PATTERN")
    p.set_defaults(func=cmd_sources)
