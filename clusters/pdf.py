"""The minutes of a cluster's year-end meeting (biên bản họp cụm, khối) as a PDF.

Laid out after Nghị định 30/2020/NĐ-CP, Phụ lục I (see shared/domain/documents.md): A4
portrait, Times New Roman or a metric-compatible serif with every Vietnamese diacritic
(Liberation Serif, Tinos), margins 20/20/30/15 mm, page numbers from the second page, the
two-column header, the title centred and the signature blocks at the end.

The document is always in Vietnamese, whatever the interface language: it is filed as an
official record, so its text is not translated.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from clusters.models import BallotCategory, ClusterKind, ClusterTerm, MemberRole, PublishedResult, TermScoring
from clusters.scoring import selectors, votes

# WeasyPrint reports every layout step at INFO; only its warnings are worth a log line.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

DOCUMENT_CSS = """
@page {
  size: A4 portrait;
  margin: 20mm 15mm 20mm 30mm;
  @bottom-center { content: counter(page); font-size: 12pt; }
}
@page :first { @bottom-center { content: none; } }
html { font-family: "Times New Roman", "Liberation Serif", "Tinos", "Noto Serif", "DejaVu Serif", serif;
       font-size: 13pt; color: #000; line-height: 1.35; }
.header { display: table; width: 100%; margin-bottom: 12pt; }
.header > div { display: table-cell; text-align: center; vertical-align: top; }
.header .left { width: 42%; }
.header .right { width: 58%; }
.upper { text-transform: uppercase; font-size: 12pt; }
.body-name { font-weight: bold; text-transform: uppercase; font-size: 12.5pt; }
.nation { font-weight: bold; font-size: 12.5pt; }
.motto { font-weight: bold; font-size: 13pt; }
.rule { border-bottom: 0.6pt solid #000; width: 40%; margin: 2pt auto 6pt; }
.rule--long { width: 62%; }
.place-date { font-style: italic; font-size: 13pt; margin-top: 6pt; }
h1 { text-align: center; font-size: 14pt; font-weight: bold; margin: 18pt 0 0; }
.summary { text-align: center; font-weight: bold; margin: 0 0 12pt; }
h2 { font-size: 13pt; font-weight: bold; margin: 12pt 0 4pt; }
h3 { font-size: 13pt; font-weight: bold; font-style: italic; margin: 8pt 0 4pt; }
p { text-align: justify; text-indent: 1cm; margin: 0 0 4pt; }
p.plain { text-indent: 0; }
table { width: 100%; border-collapse: collapse; font-size: 12pt; margin: 4pt 0 8pt; }
th, td { border: 0.6pt solid #000; padding: 2pt 4pt; vertical-align: top; }
th { font-weight: bold; text-align: center; }
td.num { text-align: right; }
td.center { text-align: center; }
.signatures { display: table; width: 100%; margin-top: 18pt; page-break-inside: avoid; }
.signatures > div { display: table-cell; width: 50%; text-align: center; vertical-align: top; }
.signatures .role { font-weight: bold; text-transform: uppercase; }
.signatures .hint { font-style: italic; font-size: 12pt; }
.signatures .name { font-weight: bold; margin-top: 60pt; }
"""


def _date_line(day: dt.date) -> str:
    """ "ngày 05 tháng 01 năm 2026": a leading zero below 10, and for January and February."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def minutes_context(term: ClusterTerm) -> dict:
    scoring = TermScoring.objects.select_related("next_head", "next_deputy").get(term=term)
    memberships = selectors.term_memberships(term)
    head = next((m for m in memberships if m.role == MemberRole.HEAD), None)
    results = list(
        PublishedResult.objects.filter(term=term).select_related("unit").order_by("rank", "unit__name")
    )
    outcome = votes.vote_results(term, scoring)
    cast = selectors.ballots_cast(term)
    kind = "cụm" if term.cluster.kind == ClusterKind.CLUSTER else "khối"
    meeting_on = scoring.meeting_on or timezone.localdate()
    return {
        "term": term,
        "scoring": scoring,
        "province": settings.PROVINCE_NAME,
        "kind": kind,
        "head": head,
        "memberships": memberships,
        "present": [m for m in memberships if m.unit_id in cast],
        "results": results,
        "flag_lines": outcome.lines[BallotCategory.FLAG],
        "merit_lines": outcome.lines[BallotCategory.MERIT],
        "outcome": outcome,
        "flag_chosen": outcome.chosen(BallotCategory.FLAG),
        "merit_chosen": outcome.chosen(BallotCategory.MERIT),
        "date_line": _date_line(meeting_on),
        "next_year": term.year + 1,
    }


def minutes_html(term: ClusterTerm) -> str:
    # Vietnamese number formats (12,5) whatever the reader's interface language.
    with translation.override("vi"):
        return render_to_string("clusters/documents/minutes.html", minutes_context(term))


def minutes_pdf(term: ClusterTerm) -> bytes:
    """Render the minutes to PDF bytes with WeasyPrint (needs Pango from the system)."""
    from weasyprint import CSS, HTML

    return HTML(string=minutes_html(term)).write_pdf(stylesheets=[CSS(string=DOCUMENT_CSS)])
