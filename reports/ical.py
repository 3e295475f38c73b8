"""iCalendar (RFC 5545) feed of a unit's report deadlines, written by hand: a few fields only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.models import ReportDeadline

_ESCAPES = str.maketrans({"\\": "\\\\", ";": "\\;", ",": "\\,", "\n": "\\n", "\r": ""})


def _escape(text: str) -> str:
    return text.translate(_ESCAPES)


def _fold(line: str) -> list[str]:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 §3.1)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return [line]
    parts, current = [], b""
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += piece
    parts.append(current.decode("utf-8"))
    return [parts[0], *(" " + part for part in parts[1:])]


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(
    deadlines: Iterable[ReportDeadline], *, name: str, unit_id: int, status_of: dict[int, str] | None = None
) -> str:
    """The VCALENDAR text; one VEVENT per deadline at its due time, with a reminder a day before."""
    site = settings.SITE_URL.rstrip("/")
    host = site.split("://", 1)[-1].split("/", 1)[0] or "thidua"
    now = _utc(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Thi dua//Report deadlines//VI",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
        "X-WR-TIMEZONE:Asia/Ho_Chi_Minh",
    ]
    for deadline in deadlines:
        status = (status_of or {}).get(deadline.pk, "")
        description = [str(deadline.campaign or deadline.cluster_term or "")]
        if status:
            description.append(status)
        url = site + reverse("reports:report_detail", args=[deadline.pk, unit_id])
        lines += [
            "BEGIN:VEVENT",
            f"UID:report-deadline-{deadline.pk}@{host}",
            f"DTSTAMP:{now}",
            f"DTSTART:{_utc(deadline.due_at - dt.timedelta(minutes=30))}",
            f"DTEND:{_utc(deadline.due_at)}",
            f"SUMMARY:{_escape(_('Report due: %(title)s') % {'title': deadline.title})}",
            f"DESCRIPTION:{_escape(chr(10).join(description))}",
            f"URL:{url}",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{_escape(deadline.title)}",
            "TRIGGER:-P1D",
            "END:VALARM",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(folded + "\r\n" for line in lines for folded in _fold(line))
