"""Draft a campaign from its directive — dự thảo phong trào thi đua từ văn bản phát động.

Staff paste the text of a Chỉ thị, Kế hoạch or press article (or upload a .txt/.docx) and get a
draft to review. The engine is a set of rules, not a model: every field it finds carries the
line or sentence it came from and the name of the rule that fired, so the review screen can show
where each value came from. Nothing here touches the database.

Matching runs on a folded twin of the text (lower case, no diacritics, "đ" → "d") of exactly the
same length, so a match in the folded text slices the original text at the same offsets: rules
work on "Ke hoach" typed without accents while the output keeps the author's spelling.
"""

from __future__ import annotations

import bisect
import calendar
import codecs
import datetime
import io
import re
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import PurePath
from typing import Any
from xml.etree import ElementTree

from django.utils.translation import gettext as _

from core.text import fold

__all__ = [
    "ContentItemDraft",
    "DeadlineDraft",
    "DirectiveDraft",
    "Extracted",
    "draft_as_dict",
    "parse_directive",
    "read_document",
]


# --- Results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Extracted[T]:
    """A value found in the text, the line or sentence it came from, and the rule that found it."""

    value: T
    source: str
    rule: str


@dataclass(frozen=True)
class DeadlineDraft:
    """Hạn — a dated deadline stated in the text ("trước ngày 15/12/2023", "chậm nhất ngày …")."""

    due_date: datetime.date
    context: str
    label: str
    is_report: bool


@dataclass(frozen=True)
class ContentItemDraft:
    """Nội dung thi đua — one item of the campaign's content, in the document's order."""

    order: int
    marker: str
    title: str
    text: str


@dataclass
class DirectiveDraft:
    """Dự thảo phong trào — what the rules found in one document, with warnings for the gaps."""

    document_kind: Extracted[str] | None = None
    number: Extracted[str] | None = None
    issued_on: Extracted[datetime.date] | None = None
    place: Extracted[str] | None = None
    title: Extracted[str] | None = None
    theme: Extracted[str] | None = None
    authority: Extracted[str] | None = None
    campaign_kind: Extracted[str] | None = None
    period_start: Extracted[datetime.date] | None = None
    period_end: Extracted[datetime.date] | None = None
    content_items: list[ContentItemDraft] = field(default_factory=list)
    deadlines: list[DeadlineDraft] = field(default_factory=list)
    signer: Extracted[str] | None = None
    warnings: list[str] = field(default_factory=list)


# --- Reading uploaded files ------------------------------------------------------------------

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
# A real .docx has a few dozen parts; thousands of entries only serve to exhaust the server.
MAX_ZIP_ENTRIES = 500
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


def read_document(name: str, data: bytes) -> str:
    """The text of an uploaded .txt or .docx file; ValueError with a message for staff otherwise."""
    suffix = PurePath(name).suffix.lower()
    if suffix == ".txt":
        return _read_text(data)
    if suffix == ".docx":
        return _read_docx(data)
    raise ValueError(_("Only .txt and .docx files can be read. Save the document in one of these formats."))


def _too_large() -> ValueError:
    return ValueError(
        _("The file is larger than %(limit)s MB once unpacked and was refused.")
        % {"limit": MAX_DOCUMENT_BYTES // (1024 * 1024)}
    )


def _read_text(data: bytes) -> str:
    if len(data) > MAX_DOCUMENT_BYTES:
        raise _too_large()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Older Vietnamese Windows machines save "ANSI" text as Windows-1258, which writes
            # tones as combining marks; NFC below puts the letters back together.
            text = data.decode("cp1258", errors="replace")
    return unicodedata.normalize("NFC", text)


def _read_docx(data: bytes) -> str:
    damaged = ValueError(_("The .docx file is damaged or is not a Word document."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise damaged from exc
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise ValueError(_("The .docx file has too many parts and was refused."))
        if sum(entry.file_size for entry in entries) > MAX_DOCUMENT_BYTES:
            raise _too_large()
        try:
            with archive.open("word/document.xml") as part:
                # The sizes in a zip's directory can lie: never read more than the limit.
                xml = part.read(MAX_DOCUMENT_BYTES + 1)
        except KeyError as exc:
            raise damaged from exc
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
            raise damaged from exc
    if len(xml) > MAX_DOCUMENT_BYTES:
        raise _too_large()
    if _DOCTYPE.search(xml):
        # Word never writes a DTD; refusing one rules out entity-expansion attacks on the parser.
        raise damaged
    try:
        root = ElementTree.fromstring(xml)  # noqa: S314 -- DTDs are refused above
        paragraphs = _docx_paragraphs(root)
    except (ElementTree.ParseError, RecursionError) as exc:
        raise damaged from exc
    return unicodedata.normalize("NFC", "\n".join(paragraphs))


def _docx_paragraphs(root: ElementTree.Element) -> list[str]:
    """Paragraph texts in document order, tables included; text boxes follow their paragraph."""
    paragraphs: list[str] = []

    def collect(element: ElementTree.Element, parts: list[str], nested: list[ElementTree.Element]) -> None:
        for child in element:
            tag = child.tag
            if tag == _W + "p":
                nested.append(child)
            elif tag == _W + "t":
                parts.append(child.text or "")
            elif tag == _W + "tab":
                parts.append("\t")
            elif tag in (_W + "br", _W + "cr"):
                parts.append("\n")
            elif tag not in (_W + "delText", _W + "instrText"):
                collect(child, parts, nested)

    def visit(element: ElementTree.Element) -> None:
        if element.tag == _W + "p":
            parts: list[str] = []
            nested: list[ElementTree.Element] = []
            collect(element, parts, nested)
            paragraphs.append("".join(parts))
            for inner in nested:
                visit(inner)
        else:
            for child in element:
                visit(child)

    visit(root)
    return paragraphs


# --- Serialisation ---------------------------------------------------------------------------


def draft_as_dict(draft: DirectiveDraft) -> dict[str, Any]:
    """The draft as plain JSON-ready data: dates become ISO strings."""

    def plain(value: Any) -> Any:
        if is_dataclass(value) and not isinstance(value, type):
            return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, list | tuple):
            return [plain(item) for item in value]
        return value

    return plain(draft)


# --- Prepared text ---------------------------------------------------------------------------

_FOLDED_CHARS: dict[int, str] = {}
_DROPPED_CHARS = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u3000\f\v]+")
_STAR_BULLET = re.compile(r"^[ \t]*\*[ \t]+", re.MULTILINE)
_LETTER_ITEM_START = re.compile(r"[a-zđ]\)")


def _fold_same_length(text: str) -> str:
    """core.text.fold() one character at a time, so offsets stay valid (fold() collapses spaces)."""
    for char in set(text).difference(map(chr, _FOLDED_CHARS)):
        folded = fold(char)
        if len(folded) != 1:
            lowered = char.lower()
            folded = lowered if len(lowered) == 1 else char
        _FOLDED_CHARS[ord(char)] = folded
    return text.translate(_FOLDED_CHARS)


def _prepare(raw: str) -> str:
    """One paragraph a line: NFC, Unix line ends, no blank lines, no Markdown emphasis, and
    lines that start in lower case (a page break or a hard wrap in the middle of a sentence)
    joined to the paragraph they continue."""
    text = unicodedata.normalize("NFC", raw).replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_DROPPED_CHARS)
    text = _STAR_BULLET.sub("- ", text).replace("*", "")
    text = _SPACES.sub(" ", text)
    paragraphs: list[list[str]] = []
    for raw_line in text.split("\n"):
        line = raw_line.strip()
        if not line:
            continue
        if paragraphs and line[0].islower() and not _LETTER_ITEM_START.match(line):
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
    return "\n".join(" ".join(parts) if len(parts) > 1 else parts[0] for parts in paragraphs)


# A sentence ends at ".", "!", "?" or "…" (and a closing quote) followed by a space and a capital.
_SENTENCE_BREAK = re.compile(r"[.!?…]+[”\"')\]]* +(?=[^\W_a-zđ]|[“\"(-])")
_ABBREVIATIONS = frozenset(
    {"tp", "ô", "bà", "ông", "kt", "tm", "tl", "tuq", "q", "ts", "ths", "gs", "pgs", "bs", "v.v", "st", "đ/c"}
)
_LIST_TOKEN = re.compile(r"\(?(?:\d{1,2}(?:\.\d{1,2})*|[IVXLC]{1,6}|[a-zđ])\)?")


def _sentence_starts(text: str) -> list[int]:
    """Offsets where sentences start: every paragraph, and after each sentence break in it."""
    starts = [0] if text else []
    starts.extend(match.end() for match in re.finditer("\n", text))
    for match in _SENTENCE_BREAK.finditer(text):
        following = match.end()
        if not text[following].isupper() and not text[following].isdigit() and text[following] not in '“"(-':
            continue
        window = max(match.start() - 40, 0)
        token_start = max(text.rfind(" ", window, match.start()), text.rfind("\n", window, match.start())) + 1
        token_start = max(token_start, window)
        token = text[token_start : match.start()]
        if token.lower() in _ABBREVIATIONS:
            continue
        # "1. Tiếp tục…", "II. NỘI DUNG": the marker of a list item is not a sentence.
        at_line_start = token_start == 0 or text[token_start - 1] == "\n"
        if at_line_start and _LIST_TOKEN.fullmatch(token):
            continue
        starts.append(following)
    starts.sort()
    return starts


class _Text:
    """The prepared text, its folded twin, and the spans of its paragraphs and sentences."""

    def __init__(self, raw: str) -> None:
        text = _prepare(raw)
        folded = _fold_same_length(text)
        text, folded = _split_inline_ordinals(text, folded)
        self.text = text
        self.folded = folded
        self.paragraphs: list[tuple[int, int]] = []
        offset = 0
        for line in text.split("\n") if text else []:
            self.paragraphs.append((offset, offset + len(line)))
            offset += len(line) + 1
        self._starts = _sentence_starts(text)

    def para(self, index: int) -> str:
        start, end = self.paragraphs[index]
        return self.text[start:end]

    def para_folded(self, index: int) -> str:
        start, end = self.paragraphs[index]
        return self.folded[start:end]

    def sentence_span(self, position: int) -> tuple[int, int]:
        index = bisect.bisect_right(self._starts, position) - 1
        start = self._starts[index] if index >= 0 else 0
        line_end = self.text.find("\n", position)
        end = len(self.text) if line_end < 0 else line_end
        if index + 1 < len(self._starts):
            end = min(end, self._starts[index + 1])
        return start, end

    def sentence_at(self, position: int) -> str:
        start, end = self.sentence_span(position)
        return _clean_source(self.text[start:end])


def _clean_source(text: str) -> str:
    return re.sub(r"^[-–—•+]\s*", "", text.strip())


# --- Dates -----------------------------------------------------------------------------------

_DATE = (
    r"(?:(?<!\d)\d{1,2}[/.-]\d{1,2}(?:[/.-](?:\d{4}|\d{2}))?(?![\d/])"
    r"|(?<!\d)\d{1,2}\s+thang\s+\d{1,2}(?:\s*,?\s*nam\s+\d{4})?)"
)
_DATE_PARTS = re.compile(r"\d+|[/.-]")


def _date_parts(fragment: str) -> tuple[int, int, int | None] | None:
    """Day, month and year (None when not written) of a folded date fragment."""
    tokens = _DATE_PARTS.findall(fragment)
    numbers = [int(token) for token in tokens if token.isdigit()]
    separators = {token for token in tokens if not token.isdigit()}
    if len(separators) > 1:  # "06/03-2024" is not a date anyone writes
        return None
    year = numbers[2] if len(numbers) > 2 else None
    if year is not None and year < 100:
        year += 2000
    return numbers[0], numbers[1], year


def _make_date(day: int, month: int, year: int) -> datetime.date | None:
    if not 1900 <= year <= 2100:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _last_day(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


# --- Markers of list items -------------------------------------------------------------------

_UNITS = {
    "mot": 1,
    "hai": 2,
    "ba": 3,
    "bon": 4,
    "tu": 4,
    "nam": 5,
    "lam": 5,
    "sau": 6,
    "bay": 7,
    "tam": 8,
    "chin": 9,
}
_ORDINAL_WORDS = (
    r"(?:hai\s+muoi|muoi)(?:\s+(?:mot|hai|ba|bon|tu|lam|nam|sau|bay|tam|chin))?"
    r"|mot|hai|ba|bon|tu|nam|sau|bay|tam|chin"
)
_ORDINAL_MARKER = re.compile(rf"({_ORDINAL_WORDS})\s+la\s*[,:]\s*")
_ORDINAL_NAMES = ["", "mot", "hai", "ba", "bon", "nam", "sau", "bay", "tam", "chin", "muoi"]
_TYPO_ORDINAL_MARKER = re.compile(r"([a-z]{2,5})\s+la\s*,\s*")
_INLINE_ORDINAL = re.compile(rf"(?<=[.;:”\"])[ ](?=(?:{_ORDINAL_WORDS})\s+la\s*,)")

_ROMAN_MARKER = re.compile(r"([IVXLC]{1,6})[.)]\s*(?=\S)")
_SUB_MARKER = re.compile(r"(\d{1,2}(?:\.\d{1,2})+)\.?\s+(?=\S)")
_ARABIC_MARKER = re.compile(r"(\d{1,2})[.)]\s*(?=[^\d\s])")
_LETTER_MARKER = re.compile(r"([a-zđ])\)\s*(?=\S)")
_DASH_MARKER = re.compile(r"([-–—•])\s*(?=\S)")
_PLUS_MARKER = re.compile(r"(\+)\s*(?=\S)")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _ordinal_value(words: str) -> int:
    parts = words.split()
    if "muoi" not in parts:
        return _UNITS[parts[0]]
    tens = 2 if parts[0] == "hai" else 1
    unit = _UNITS.get(parts[-1], 0) if parts[-1] != "muoi" else 0
    return tens * 10 + unit


def _roman_value(numeral: str) -> int:
    total = 0
    for index, char in enumerate(numeral):
        value = _ROMAN_VALUES[char]
        following = _ROMAN_VALUES[numeral[index + 1]] if index + 1 < len(numeral) else 0
        total += -value if value < following else value
    return total


def _edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


@dataclass(frozen=True)
class _Marker:
    kind: str  # roman, arabic, ordinal, sub, letter, dash, plus
    rank: int  # Vietnamese administrative layout: I. > 1. / Một là > 1.1. > a) > - > +
    text: str
    value: int | None
    body_start: int
    read_as: int | None = None  # a misspelt ordinal ("Bản là") read as the expected item


def _marker(paragraph: str, folded: str, expected_ordinal: int | None = None) -> _Marker | None:
    first = paragraph[:1]
    if not first:
        return None
    if first.isdigit():
        if match := _SUB_MARKER.match(paragraph):
            return _Marker("sub", 2, match.group(0).strip(), None, match.end())
        if match := _ARABIC_MARKER.match(paragraph):
            return _Marker("arabic", 1, match.group(0).strip(), int(match.group(1)), match.end())
        return None
    if first in "-–—•":
        match = _DASH_MARKER.match(paragraph)
        return _Marker("dash", 4, match.group(1), None, match.end()) if match else None
    if first == "+":
        match = _PLUS_MARKER.match(paragraph)
        return _Marker("plus", 5, match.group(1), None, match.end()) if match else None
    if first in "IVXLC" and (match := _ROMAN_MARKER.match(paragraph)):
        return _Marker("roman", 0, match.group(0).strip(), _roman_value(match.group(1)), match.end())
    if paragraph[1:2] == ")" and (match := _LETTER_MARKER.match(paragraph)):
        return _Marker("letter", 3, match.group(0).strip(), None, match.end())
    if " la" not in folded[:24]:
        return None
    if match := _ORDINAL_MARKER.match(folded):
        text = paragraph[: _end_of_la(folded, match.end(1))]
        return _Marker("ordinal", 1, text, _ordinal_value(match.group(1)), match.end())
    if expected_ordinal is not None and 1 <= expected_ordinal <= 10:
        # Typing slips happen in real documents ("Bản là" for "Bảy là" in a published article):
        # inside a run of ordinal items, a word one letter away from the next ordinal is that item.
        match = _TYPO_ORDINAL_MARKER.match(folded)
        if match and _edit_distance(match.group(1), _ORDINAL_NAMES[expected_ordinal]) <= 1:
            text = paragraph[: _end_of_la(folded, match.end(1))]
            return _Marker("ordinal", 1, text, expected_ordinal, match.end(), read_as=expected_ordinal)
    return None


_LA = re.compile(r"\s+la")


def _end_of_la(folded: str, words_end: int) -> int:
    """Where "là" ends after the ordinal words, so the marker reads "Một là" without its comma."""
    match = _LA.match(folded, words_end)
    return match.end() if match else words_end


def _split_inline_ordinals(text: str, folded: str) -> tuple[str, str]:
    """Put "Một là, …; Hai là, …" written inside one paragraph on lines of their own.

    Only a run that starts with "Một là" is split, so a stray "… Ba là, …" in a sentence stays put.
    """
    matches = [match.start() for match in _INLINE_ORDINAL.finditer(folded)]
    if not matches:
        return text, folded
    newlines = [match.start() for match in re.finditer("\n", folded)]
    by_line: dict[int, list[int]] = {}
    for position in matches:
        index = bisect.bisect_left(newlines, position) - 1
        line_start = newlines[index] + 1 if index >= 0 else 0
        by_line.setdefault(line_start, []).append(position)
    cuts: list[int] = []
    for line_start, positions in by_line.items():
        first = _ORDINAL_MARKER.match(folded, line_start)
        starts_run = first is not None and first.group(1) == "mot"
        if not starts_run:
            opening = _ORDINAL_MARKER.match(folded, positions[0] + 1)
            starts_run = opening is not None and opening.group(1) == "mot" and len(positions) > 1
        if starts_run:
            cuts.extend(positions)
    if not cuts:
        return text, folded
    text_chars, folded_chars = list(text), list(folded)
    for cut in cuts:
        text_chars[cut] = folded_chars[cut] = "\n"
    return "".join(text_chars), "".join(folded_chars)


# --- Header: kind, number, place and date, title ---------------------------------------------

_HEADER_PARAGRAPHS = 15
_KINDS = {
    "chi thi": "Chỉ thị",
    "ke hoach": "Kế hoạch",
    "quyet dinh": "Quyết định",
    "cong van": "Công văn",
    "huong dan": "Hướng dẫn",
    "thong bao": "Thông báo",
    "nghi quyet": "Nghị quyết",
    "cong dien": "Công điện",
    "thong tri": "Thông tri",
}
# The document-type code in a number ("02/CT-UBND") per Nghị định 30/2020/NĐ-CP, phụ lục III.
_KIND_CODES = {
    "ct": "Chỉ thị",
    "kh": "Kế hoạch",
    "qd": "Quyết định",
    "hd": "Hướng dẫn",
    "tb": "Thông báo",
    "nq": "Nghị quyết",
    "cd": "Công điện",
}
_KIND_ALTERNATIVES = "|".join(re.escape(key).replace(r"\ ", r"\s+") for key in _KINDS)
_NUMBER = r"\d{1,5}[a-z]?(?:\s*[/\-–]\s*[0-9a-z][0-9a-z.]*)+"
_KIND_LINE = re.compile(rf"(?P<kind>{_KIND_ALTERNATIVES})(?:\s+so\s*:?\s*(?P<number>{_NUMBER}))?(?P<rest>.*)")
_HEADER_NUMBER = re.compile(rf"so\s*:?\s*(?P<number>{_NUMBER})")
_PLACE_DATE = re.compile(rf"(?P<place>[^\d,;:/]{{2,60}}?)\s*,\s*ngay\s+(?P<date>{_DATE})\s*\.?$")
_DATE_LINE = re.compile(rf"ngay\s+(?P<date>{_DATE})\s*\.?")
_ISSUER_LINE = re.compile(r"(?:uy ban nhan dan|ubnd)\s+(?:tinh|thanh pho)\s+(?P<name>[a-z][a-z \-]{1,30})")
_SUBJECT_LINE = re.compile(r"(?:v/v|ve viec)\b")
_HEADER_LINE = re.compile(r"(?:so\b|cong hoa|doc lap|uy ban nhan dan|ubnd|tm\s*\.|kt\s*\.|v/v)")


def _normalise_number(number: str) -> str:
    number = re.sub(r"\s*([/\-–])\s*", r"\1", number.strip()).replace("–", "-")
    return number.rstrip(".")


def _place_name(raw: str) -> str:
    """The trailing capitalised words of "…CT-UBND Hưng Yên": the place, not the header around it."""
    kept: list[str] = []
    for token in reversed(raw.split()):
        is_code = token.isupper() and any(sep in token for sep in "-/")
        if not token[0].isupper() or is_code or len(kept) == 4:
            break
        kept.append(token)
    return " ".join(reversed(kept))


class _Header:
    def __init__(self, doc: _Text) -> None:
        self.kind: Extracted[str] | None = None
        self.kind_index: int | None = None
        self.number: Extracted[str] | None = None
        self.issued_on: Extracted[datetime.date] | None = None
        self.place: Extracted[str] | None = None
        self.title: Extracted[str] | None = None
        self.invalid_dates: list[str] = []
        for index in range(min(_HEADER_PARAGRAPHS, len(doc.paragraphs))):
            self._read_line(doc, index)
        if self.kind is None and self.number is not None:
            codes = [part for part in re.split(r"[/-]", fold(self.number.value))[1:] if not part.isdigit()]
            if codes:
                # A number without a type code ("123/UBND-VX") is an official letter (công văn).
                kind = _KIND_CODES.get(codes[0], "Công văn")
                self.kind = Extracted(kind, self.number.source, "number-code")

    def _read_line(self, doc: _Text, index: int) -> None:
        line, folded = doc.para(index), doc.para_folded(index)
        if self.number is None and (match := _HEADER_NUMBER.match(folded)) and "/" in match.group("number"):
            number = line[match.start("number") : match.end("number")]
            self.number = Extracted(_normalise_number(number), line, "header-number")
        if self.kind is None and (match := _KIND_LINE.fullmatch(folded)):
            rest = match.group("rest").strip(" :.")
            number = match.group("number")
            if not rest or number:
                kind = _KINDS[re.sub(r"\s+", " ", match.group("kind"))]
                self.kind = Extracted(kind, line, "kind-line")
                self.kind_index = index
                if number and "/" in number and self.number is None:
                    original = line[match.start("number") : match.end("number")]
                    self.number = Extracted(_normalise_number(original), line, "kind-number")
                if rest:
                    self._read_kind_line_rest(line, match.start("rest"), folded[match.start("rest") :])
        if len(line) <= 160:
            self._read_place_date(line, folded)
        if self.place is None and (match := _ISSUER_LINE.fullmatch(folded)):
            name = line[match.start("name") : match.end("name")].strip()
            self.place = Extracted(name.title() if name.isupper() else name, line, "issuer-line")
        if self.title is None and self.kind is None and _SUBJECT_LINE.match(folded) and len(line) <= 400:
            self.title = Extracted(line, line, "subject-line")
        elif (
            self.title is None
            and self.kind_index is not None
            and index == self.kind_index + 1
            and len(line) <= 400
            and not _HEADER_LINE.match(folded)
            and not folded.startswith("can cu")
        ):
            self.title = Extracted(line, line, "after-kind-line")

    def _read_kind_line_rest(self, line: str, rest_start: int, rest: str) -> None:
        # "Chỉ thị số 02/CT-UBND ngày 06/3/2024 của UBND tỉnh về việc …" on one line.
        if self.issued_on is None and (match := re.search(rf"\bngay\s+({_DATE})", rest)):
            parts = _date_parts(match.group(1))
            if parts and parts[2] is not None:
                issued = _make_date(parts[0], parts[1], parts[2])
                if issued:
                    self.issued_on = Extracted(issued, line, "kind-line-date")
        if self.title is None and len(line) <= 400 and (match := re.search(r"\bve\s", rest)):
            self.title = Extracted(line[rest_start + match.start() :].strip(), line, "kind-line-subject")

    def _read_place_date(self, line: str, folded: str) -> None:
        match = _PLACE_DATE.search(folded)
        rule = "header-place-date"
        if match is None:
            match = _DATE_LINE.fullmatch(folded)
            rule = "header-date"
        if match is None:
            return
        place = ""
        if "place" in match.groupdict():
            place = _place_name(line[match.start("place") : match.end("place")])
            if not place:  # "Theo đó, ngày 15/3/2024 …" is a sentence, not the header
                return
        fragment = line[match.start("date") : match.end("date")]
        parts = _date_parts(match.group("date"))
        issued = _make_date(parts[0], parts[1], parts[2]) if parts and parts[2] is not None else None
        if issued is None:
            self.invalid_dates.append(fragment)
        elif self.issued_on is None:
            self.issued_on = Extracted(issued, line, rule)
        if place and self.place is None:
            self.place = Extracted(place, line, rule)


def _headline(doc: _Text) -> Extracted[str] | None:
    """A press article's headline: its first short line that is not a sentence or a caption."""
    for index in range(min(3, len(doc.paragraphs))):
        line, folded = doc.para(index), doc.para_folded(index)
        if len(line) > 200:
            return None
        if _HEADER_LINE.match(folded) or _PLACE_DATE.search(folded):
            continue
        if line[0].isupper() and len(line.split()) >= 3 and not line.endswith((".", ":", ";", "…")):
            return Extracted(line, line, "headline")
    return None


_PROVINCE_AFTER = re.compile(r"(?<!\w)[Tt]ỉnh +")
_NOT_A_PLACE = frozenset({"Ủy", "Uỷ", "Đoàn", "Hội", "Ban", "Chủ", "Đảng", "Thường", "Ủy ban"})


def _province_mentioned(doc: _Text) -> Extracted[str] | None:
    """The province an article is about: the name written most often after "tỉnh"."""
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for match in _PROVINCE_AFTER.finditer(doc.text):
        words: list[str] = []
        following = doc.text[match.end() : match.end() + 60].split("\n", 1)[0]
        for piece in following.split(" ")[:4]:
            word = piece.rstrip('.,;:)”"')
            if piece in ("-", "–") and words:
                words.append("-")
                continue
            if not word or not word[0].isupper() or not word.replace("-", "").isalpha():
                break
            words.append(word)
            if word != piece:
                break
        while words and words[-1] == "-":
            words.pop()
        if words and words[0] not in _NOT_A_PLACE and len(words) <= 4:
            name = " ".join(words)
            counts[name] += 1
            first_seen.setdefault(name, match.start())
    if not counts:
        return None
    name, _count = counts.most_common(1)[0]
    return Extracted(name, doc.sentence_at(first_seen[name]), "province-mention")


# --- Theme, authority, signer ----------------------------------------------------------------

_QUOTE = re.compile(r"“([^“”\n]{2,500})”|\"([^\"\n]{2,500})\"")
_THEME_TRIGGER = re.compile(r"(?<![a-z])(chu de|khau hieu|thong diep)(?![a-z])")
_QUOTE_OPENING = re.compile(r"[“\"]")
_THEME_GAP = 40


def _theme(doc: _Text) -> Extracted[str] | None:
    """The quoted theme or slogan introduced by "chủ đề" / "khẩu hiệu" — not any quoted phrase:
    the names of other movements and documents are quoted too."""
    best: tuple[int, int, int, re.Match[str]] | None = None
    for trigger in _THEME_TRIGGER.finditer(doc.folded):
        opening = _QUOTE_OPENING.search(doc.folded, trigger.end(), trigger.end() + _THEME_GAP + 1)
        quote = _QUOTE.match(doc.folded, opening.start()) if opening else None
        if quote is None:
            continue
        gap = doc.folded[trigger.end() : quote.start()]
        if any(char in gap for char in ".;!?\n"):
            continue
        priority = 0 if trigger.group(1) == "chu de" else 1
        candidate = (priority, len(gap), quote.start(), quote)
        if best is None or candidate[:3] < best[:3]:
            best = candidate
    if best is None:
        return None
    quote = best[3]
    group = 1 if quote.group(1) is not None else 2
    value = doc.text[quote.start(group) : quote.end(group)].strip()
    return Extracted(
        value, doc.sentence_at(quote.start()), "quoted-theme" if best[0] == 0 else "quoted-slogan"
    )


_LEVELS = {
    "tinh": "tỉnh",
    "thanh pho": "thành phố",
    "huyen": "huyện",
    "quan": "quận",
    "thi xa": "thị xã",
    "xa": "xã",
    "phuong": "phường",
}
_LEVEL = r"(?P<level>tinh|thanh pho|huyen|quan|thi xa|xa|phuong)(?![a-z])"
_AUTHORITY = re.compile(
    r"(?<![a-z])(?P<entity>"
    rf"(?P<chair>chu tich\s+)?(?:uy ban nhan dan|ubnd)\s+{_LEVEL}"
    r"|(?P<council>hoi dong thi dua\s*-?\s*khen thuong(?:\s+tinh)?)"
    r"|(?P<standing>ban thuong vu tinh uy)"
    r"|(?P<party>tinh uy)"
    # Up to four words between (a name: "Chủ tịch UBND tỉnh Đồng Văn Thanh phát động"), never "và".
    r")(?:\s+(?!va(?![a-z]))[^\s.,;:]+){0,4}?\s+(?:da\s+|se\s+)?(?:phat dong|yeu cau|ban hanh|chi thi)(?![a-z])"
)
_REFERENCE_BEFORE = re.compile(r"(?<![a-z])(?:cua|do|voi|theo|cac)\s*$")


def _authority_name(match: re.Match[str]) -> str:
    if match.group("council"):
        return "Hội đồng Thi đua - Khen thưởng tỉnh"
    if match.group("standing"):
        return "Ban Thường vụ Tỉnh ủy"
    if match.group("party"):
        return "Tỉnh ủy"
    level = _LEVELS[re.sub(r"\s+", " ", match.group("level"))]
    return f"Chủ tịch UBND {level}" if match.group("chair") else f"Ủy ban nhân dân {level}"


def _authority(doc: _Text, signature_lines: list[str]) -> Extracted[str] | None:
    """Who launches the campaign: the body that "phát động" or "yêu cầu" in its own name.

    "… do Thủ tướng Chính phủ phát động", "Chỉ thị … của Chủ tịch UBND tỉnh về việc phát động …"
    cite other launches, so a match after "do", "của", "theo" … is skipped.
    """
    for match in _AUTHORITY.finditer(doc.folded):
        start = match.start("entity")
        if _REFERENCE_BEFORE.search(doc.folded, max(start - 8, 0), start):
            continue
        return Extracted(_authority_name(match), doc.sentence_at(start), "launch-sentence")
    for line in signature_lines:
        # "TM. ỦY BAN NHÂN DÂN" signs for the committee; this app serves provinces, hence "tỉnh".
        if re.match(r"tm\s*\.\s*(?:uy ban nhan dan|ubnd)", _fold_same_length(line)):
            return Extracted("Ủy ban nhân dân tỉnh", line, "signature-block")
    return None


_SIGNATURE_TITLE = re.compile(
    r"(?:(?:tm|kt|tl|tuq|q)\s*\.\s*)?(?:pho\s+)?chu\s+tich(?:\s+(?:uy ban nhan dan|ubnd)(?:\s+[a-z ]{2,30})?)?"
)
_SIGNATURE_ON_BEHALF = re.compile(r"(?:tm|kt|tl|tuq)\s*\.\s*\S.{0,60}")
_SIGNATURE_NOTE = re.compile(r"\(?(?:da ky|ky ten|ky, ghi ro ho ten|ky va dong dau)[^)]*\)?")


def _signature(doc: _Text) -> tuple[Extracted[str] | None, list[str]]:
    """The signer after the last "CHỦ TỊCH" / "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH" line, and the
    lines of the signature block ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")."""
    count = len(doc.paragraphs)
    for index in range(count - 1, max(count - 40, 0) - 1, -1):
        if not _SIGNATURE_TITLE.fullmatch(doc.para_folded(index)):
            continue
        block_start = index
        while block_start > 0 and _SIGNATURE_ON_BEHALF.fullmatch(doc.para_folded(block_start - 1)):
            block_start -= 1
        block = [doc.para(i) for i in range(block_start, index + 1)]
        for following in range(index + 1, min(index + 5, count)):
            line = doc.para(following)
            if _SIGNATURE_NOTE.fullmatch(doc.para_folded(following)):
                continue
            words = line.split()
            if (
                2 <= len(words) <= 6
                and len(line) <= 50
                and all(w[0].isupper() and w.isalpha() for w in words)
            ):
                name = line.title() if line.isupper() else line
                return Extracted(name, "\n".join([*block, line]), "signature-block"), block
            break
        return None, block
    return None, []


# --- Campaign kind and period ----------------------------------------------------------------

_SPECIAL = re.compile(r"thi dua dac biet|\bky niem\s+\d+\s+nam|chao mung\s+\d+\s+nam\s+(?:thanh lap|ngay)")
_SPRINT = re.compile(
    r"nuoc rut|cao diem|theo dot|\bdot thi dua\b|\d+\s+thang\s+(?:cuoi|dau)\s+nam|\d+\s+ngay\s+dem"
)
_THEMATIC = re.compile(r"chuyen de")
_REGULAR = re.compile(r"thuong xuyen|hang nam|\bnam\s+(?P<year>(?:19|20)\d{2})\b")
_YEAR = re.compile(r"\bnam\s+((?:19|20)\d{2})\b")


def _campaign_kind(
    doc: _Text, texts: list[tuple[str, str, int | None]]
) -> tuple[Extracted[str] | None, int | None]:
    """The kind of campaign, from the title first, then the theme, the launching sentence and the
    opening paragraphs — never the whole text, where anniversaries of other events are cited."""
    rules = (
        ("special", _SPECIAL, "special-keyword"),
        ("sprint", _SPRINT, "sprint-keyword"),
        ("thematic", _THEMATIC, "thematic-keyword"),
        ("regular", _REGULAR, "regular-keyword"),
    )
    for original, folded, offset in texts:
        for kind, pattern, rule in rules:
            match = pattern.search(folded)
            if match is None:
                continue
            source = doc.sentence_at(offset + match.start()) if offset is not None else original
            year = None
            if kind == "regular":
                year_match = _YEAR.search(folded)
                year = int(year_match.group(1)) if year_match else None
                if match.group("year"):
                    rule = "annual-year"
            return Extracted(kind, source, rule), year
    return None, None


_FROM_TO = re.compile(
    rf"(?<![a-z])tu\s+(?:ngay\s+)?(?P<start>{_DATE})\s*(?:-|–|den|toi)\s*(?:het\s+)?(?:ngay\s+)?(?P<end>{_DATE})"
)
_MONTHS_OF_YEAR = re.compile(
    r"(?<!\d)(?P<count>\d{1,2})\s+thang\s+(?P<which>cuoi|dau)\s+nam\s+(?P<year>\d{4})"
)
_STAGE = re.compile(r"giai doan\s+(?P<start>(?:19|20)\d{2})\s*[-–]\s*(?P<end>(?:19|20)\d{2})")


def _period_in(folded: str) -> tuple[datetime.date, datetime.date, str, int] | None:
    if match := _FROM_TO.search(folded):
        start_parts, end_parts = _date_parts(match.group("start")), _date_parts(match.group("end"))
        if start_parts and end_parts and end_parts[2] is not None:
            start = _make_date(start_parts[0], start_parts[1], start_parts[2] or end_parts[2])
            end = _make_date(end_parts[0], end_parts[1], end_parts[2])
            if start and end and start <= end:
                return start, end, "from-to", match.start()
    if match := _MONTHS_OF_YEAR.search(folded):
        count, year = int(match.group("count")), int(match.group("year"))
        if 1 <= count <= 12 and 1900 <= year <= 2100:
            if match.group("which") == "cuoi":  # "05 tháng cuối năm 2023": 01/08 to 31/12
                start, end = datetime.date(year, 13 - count, 1), datetime.date(year, 12, 31)
            else:
                start, end = datetime.date(year, 1, 1), _last_day(year, count)
            return start, end, "months-of-year", match.start()
    return None


def _period(
    doc: _Text, title: Extracted[str] | None, kind: Extracted[str] | None, year: int | None
) -> tuple[Extracted[datetime.date], Extracted[datetime.date]] | None:
    if title is not None:
        title_folded = _fold_same_length(title.value)
        if found := _period_in(title_folded):
            start, end, rule, _position = found
            return Extracted(start, title.source, rule), Extracted(end, title.source, rule)
        if match := _STAGE.search(title_folded):
            start, end = int(match.group("start")), int(match.group("end"))
            if start <= end:
                first, last = datetime.date(start, 1, 1), datetime.date(end, 12, 31)
                rule = "title-stage"
                return Extracted(first, title.source, rule), Extracted(last, title.source, rule)
    if found := _period_in(doc.folded):
        start, end, rule, position = found
        source = doc.sentence_at(position)
        return Extracted(start, source, rule), Extracted(end, source, rule)
    if kind is not None and kind.value == "regular" and year is not None:
        first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        return Extracted(first, kind.source, "annual-year"), Extracted(last, kind.source, "annual-year")
    return None


# --- Content items ---------------------------------------------------------------------------

_CLOSING_SECTION = re.compile(
    r"(?:to chuc thuc hien|hieu luc thi hanh|dieu khoan thi hanh|trach nhiem thi hanh|trach nhiem thuc hien)"
)
_LIST_INTRO = re.compile(r"(?:nhu sau|sau day|noi dung sau|gom|bao gom)\s*:$")
_CONTENT_HEADING_LENGTH = 120
# Real campaigns list a dozen items or so; a review screen cannot show thousands anyway.
MAX_CONTENT_ITEMS = 200


def _is_stop(doc: _Text, index: int, marker: _Marker | None, *, items_started: bool) -> bool:
    folded = doc.para_folded(index)
    if folded.startswith("noi nhan") or _SIGNATURE_TITLE.fullmatch(folded):
        return True
    if len(folded) <= 80 and _SIGNATURE_ON_BEHALF.fullmatch(folded):
        return True
    if not items_started:
        return False
    rest = folded[marker.body_start :] if marker else folded
    if len(folded) <= 80 and _CLOSING_SECTION.match(rest):
        return True
    line = doc.para(index)
    # An unnumbered heading in capitals ("TỔ CHỨC THỰC HIỆN") opens another section.
    return marker is None and len(line) <= 80 and line.isupper()


def _content_heading(doc: _Text) -> tuple[int, int] | None:
    """The "Nội dung thi đua" heading, if any, and the rank of its marker (-1 when unnumbered)."""
    for index in range(len(doc.paragraphs)):
        line = doc.para(index)
        if len(line) > _CONTENT_HEADING_LENGTH or line.endswith("."):
            continue
        folded = doc.para_folded(index)
        if "noi dung" not in folded[:20]:
            continue
        marker = _marker(line, folded)
        if marker is not None and marker.kind in ("dash", "plus", "ordinal"):
            continue
        rest = folded[marker.body_start :] if marker else folded
        if rest.startswith("noi dung"):
            return index, marker.rank if marker else -1
    return None


_CLAUSE_END = re.compile(r"[;:]|[.!?](?=\s|$)")
_TITLE_LENGTH = 160


def _item_title(body: str) -> str:
    first_line = body.split("\n", 1)[0]
    match = _CLAUSE_END.search(first_line)
    clause = (first_line[: match.start()] if match else first_line).strip(" ,.-–")
    if len(clause) > _TITLE_LENGTH:
        cut = clause.rfind(" ", 0, _TITLE_LENGTH)
        clause = clause[: cut if cut > 0 else _TITLE_LENGTH].rstrip(" ,;-–") + "…"
    return clause[:1].upper() + clause[1:]


def _content_items(doc: _Text, warnings: list[str]) -> list[ContentItemDraft]:
    """The items of the campaign's content ("nội dung thi đua").

    Under a "Nội dung thi đua" heading, the first level of markers below it (1., a), Một là, -);
    without one, the first level of markers in the document. Either way the list ends at the
    "Tổ chức thực hiện" section, the list of recipients ("Nơi nhận") or the signature: those say
    who does what, not what to emulate.
    """
    heading = _content_heading(doc)
    start, heading_rank = (heading[0] + 1, heading[1]) if heading else (0, -1)
    items: list[tuple[_Marker, list[str]]] = []
    for index in range(start, len(doc.paragraphs)):
        line, folded = doc.para(index), doc.para_folded(index)
        item_kind = items[0][0].kind if items else None
        expected = len(items) + 1 if item_kind == "ordinal" else None
        marker = _marker(line, folded, expected)
        if marker is not None and marker.rank <= heading_rank:
            break
        if _is_stop(doc, index, marker, items_started=bool(items)):
            break
        if marker is not None and item_kind in (None, marker.kind):
            if len(items) == MAX_CONTENT_ITEMS:
                warnings.append(
                    _("Only the first %(count)s content items were kept.") % {"count": MAX_CONTENT_ITEMS}
                )
                break
            items.append((marker, [line[marker.body_start :]]))
        elif item_kind is None:
            continue  # the introduction before the first item
        elif marker is not None and marker.rank <= items[0][0].rank:
            break
        else:
            items[-1][1].append(line)
        if line.endswith("./."):  # the conventional end of a Vietnamese administrative text
            break
    if not items:
        return _paragraph_items(doc)
    drafts: list[ContentItemDraft] = []
    previous: int | None = None
    for order, (marker, parts) in enumerate(items, 1):
        if marker.read_as is not None:
            warnings.append(
                _("The item marker “%(marker)s” was read as item %(number)s.")
                % {"marker": marker.text, "number": marker.read_as}
            )
        if previous is not None and marker.value is not None and marker.value != previous + 1:
            warnings.append(
                _("The item numbering jumps from %(previous)s to %(current)s.")
                % {"previous": previous, "current": marker.value}
            )
        previous = marker.value
        text = "\n".join(parts).strip()
        drafts.append(ContentItemDraft(order, marker.text, _item_title(text), text))
    return drafts


def _paragraph_items(doc: _Text) -> list[ContentItemDraft]:
    """Unnumbered items: the full paragraphs after an introduction ending in "… như sau:", as
    press articles write them. The first short line (a byline, "Bài, ảnh: …") ends the list."""
    count = len(doc.paragraphs)
    for index in range(min(count, _HEADER_PARAGRAPHS)):
        if not _LIST_INTRO.search(doc.para_folded(index)):
            continue
        drafts: list[ContentItemDraft] = []
        for following in range(index + 1, count):
            line = doc.para(following)
            if len(line) < 60 or not line.endswith((".", ";", "!", "…", "”", ")")):
                break
            if _is_stop(doc, following, None, items_started=True) or len(drafts) == MAX_CONTENT_ITEMS:
                break
            drafts.append(ContentItemDraft(len(drafts) + 1, "", _item_title(line), line))
        return drafts
    return []


# --- Deadlines -------------------------------------------------------------------------------

_DEADLINE = re.compile(
    r"(?<![a-z])(?P<trigger>"
    r"truoc\s+ngay|truoc"
    r"|cham\s+nhat(?:\s+(?:la|vao|truoc))*(?:\s+ngay)?"
    r"|den\s+het\s+ngay|den\s+het"
    # "Hạn chót nộp hồ sơ: …", "Thời hạn thực hiện là ngày …": a few words may come between.
    r"|(?:thoi\s+han|han\s+chot|han\s+cuoi|han\s+nop|han\s+gui)(?:\s+[a-z]+){0,4}?"
    r"(?:\s*(?:la|:|truoc|vao|ngay)(?![a-z]))*"
    r"|han(?:\s*(?:la|:|ngay)(?![a-z]))*"
    rf")\s*:?\s*(?P<date>{_DATE})"
)
_BEFORE_MONTH = re.compile(
    r"(?<![a-z])truoc\s+thang\s+(?P<month>\d{1,2})(?:\s*[/-]\s*|\s+nam\s+)(?P<year>\d{4})"
)
_FROM_BEFORE = re.compile(r"(?<![a-z])tu\s+(?:ngay\s+)?\d")
_REPORT = re.compile(r"bao cao|(?<![a-z])gui(?![a-z]).*(?<![a-z])ve(?![a-z])")
_LABEL_CUTS = (" về ", " qua ", " cho ", " tới ", " đến ", " để ", " tại ", " lên ", " (", " nhằm ")
_LABEL_CUTS_PLAIN = (" ve ", " qua ", " cho ", " toi ", " den ", " de ", " tai ", " len ", " (", " nham ")
_LABEL_FILLERS = re.compile(
    r"^(?:(?:trong do|dong thoi|dam bao|bao dam|va|phai|can|kip thoi|tat ca|tiep tuc)(?![a-z])\s*)+"
)
_LABEL_WORDS = 12


def _shorten_label(clause: str) -> str:
    clause = re.sub(r"^\s*(?:[-–—•+]|\d{1,2}[.)]|[a-zđ]\))\s*", "", clause).strip(" ,;:")
    ordinal = _ORDINAL_MARKER.match(_fold_same_length(clause))
    if ordinal:
        clause = clause[ordinal.end() :]
    fillers = _LABEL_FILLERS.match(_fold_same_length(clause))
    if fillers:
        clause = clause[fillers.end() :]
    plain = _fold_same_length(clause) == clause.lower()
    cuts = _LABEL_CUTS_PLAIN if plain else _LABEL_CUTS
    padded = f"{clause} "
    positions = [padded.find(cut) for cut in cuts if padded.find(cut) > 0]
    if positions:
        clause = clause[: min(positions)]
    words = clause.split()[:_LABEL_WORDS]
    label = " ".join(words).strip(" ,;:.-–")
    return label[:1].upper() + label[1:]


def _deadline_label(sentence: str, trigger_offset: int, date_end: int) -> str:
    """The words before "trước ngày": "Báo cáo kết quả triển khai thực hiện về UBND tỉnh … trước
    ngày 15/12/2023" gives "Báo cáo kết quả triển khai thực hiện"."""
    before = re.split(r"[;:]", sentence[:trigger_offset])[-1]
    parts = before.split(",")
    index = len(parts) - 1
    while index > 0 and len(",".join(parts[index:]).split()) < 3:
        index -= 1
    label = _shorten_label(",".join(parts[index:]))
    if len(label.split()) < 2:
        after = re.split(r"[;:.]", sentence[date_end:].lstrip(" ,"))[0]
        label = _shorten_label(after) or label
    return label or _("Deadline")


def _deadlines(doc: _Text, fallback_year: int | None, warnings: list[str]) -> list[DeadlineDraft]:
    """Dated deadlines: only "trước ngày", "chậm nhất", "hạn", "đến hết ngày", "trước tháng …" —
    the dates of resolutions a text cites ("Nghị quyết … ngày 7-12-2023") are not deadlines."""
    found: list[tuple[int, DeadlineDraft]] = []
    seen: set[tuple[datetime.date, str]] = set()

    def add(position: int, due: datetime.date, trigger_start: int, date_end: int) -> None:
        start, end = doc.sentence_span(position)
        raw = doc.text[start:end]
        leading = len(raw) - len(raw.lstrip())
        sentence = raw.strip()
        context = _clean_source(sentence)
        if (due, context) in seen:
            return
        seen.add((due, context))
        label = _deadline_label(sentence, trigger_start - start - leading, date_end - start - leading)
        is_report = bool(_REPORT.search(_fold_same_length(context)))
        found.append((position, DeadlineDraft(due, context, label, is_report)))

    for match in _DEADLINE.finditer(doc.folded):
        trigger = match.group("trigger")
        if trigger.startswith("den"):
            # "từ ngày 01/3 đến hết ngày 30/9" is the campaign's period, not a deadline.
            start, _end = doc.sentence_span(match.start())
            if _FROM_BEFORE.search(doc.folded, start, match.start()):
                continue
        fragment = doc.text[match.start("date") : match.end("date")]
        parts = _date_parts(match.group("date"))
        if parts is None:
            continue
        day, month, year = parts
        if year is None:
            if fallback_year is None:
                warnings.append(_("A deadline without a year was ignored: %(date)s.") % {"date": fragment})
                continue
            year = fallback_year
        due = _make_date(day, month, year)
        if due is None:
            warnings.append(_("An invalid date was ignored: %(date)s.") % {"date": fragment})
            continue
        add(match.start(), due, match.start(), match.end())
    for match in _BEFORE_MONTH.finditer(doc.folded):
        month, year = int(match.group("month")), int(match.group("year"))
        if 1 <= month <= 12 and 1900 <= year <= 2100:
            # "trước tháng 12/2023": the last day of the month before.
            due = datetime.date(year, month, 1) - datetime.timedelta(days=1)
            add(match.start(), due, match.start(), match.end())
    return [deadline for _position, deadline in sorted(found, key=lambda pair: pair[0])]


# --- Putting it together ---------------------------------------------------------------------


def _lead(doc: _Text, skip: int) -> list[tuple[str, str, int | None]]:
    texts: list[tuple[str, str, int | None]] = []
    for index in range(skip, min(skip + 4, len(doc.paragraphs))):
        start, _end = doc.paragraphs[index]
        texts.append((doc.para(index), doc.para_folded(index), start))
    return texts


def parse_directive(text: str) -> DirectiveDraft:
    """Draft a campaign from the text of a directive, plan or article. Never raises on odd text:
    what the rules cannot find is left empty and named in ``warnings``."""
    doc = _Text(text or "")
    draft = DirectiveDraft()
    warnings: list[str] = []

    header = _Header(doc)
    draft.document_kind = header.kind
    draft.number = header.number
    draft.issued_on = header.issued_on
    draft.title = header.title or (None if header.kind else _headline(doc))
    draft.theme = _theme(doc)
    draft.signer, signature_lines = _signature(doc)
    draft.authority = _authority(doc, signature_lines)
    draft.place = header.place or _province_mentioned(doc)

    # (source shown to staff, folded text searched, offset of that text in the document)
    texts: list[tuple[str, str, int | None]] = []
    for extracted in (draft.title, draft.theme):
        if extracted is not None:
            texts.append((extracted.source, _fold_same_length(extracted.value), None))
    if draft.authority is not None and draft.authority.rule == "launch-sentence":
        texts.append((draft.authority.source, _fold_same_length(draft.authority.source), None))
    first_body = (header.kind_index + 2) if header.kind_index is not None else 0
    texts.extend(_lead(doc, first_body))
    draft.campaign_kind, campaign_year = _campaign_kind(doc, texts)

    if period := _period(doc, draft.title, draft.campaign_kind, campaign_year):
        draft.period_start, draft.period_end = period

    draft.content_items = _content_items(doc, warnings)

    # "trước ngày 15/12": the year of the document, else of the campaign.
    fallback_year = campaign_year
    if draft.period_end is not None:
        fallback_year = draft.period_end.value.year
    if draft.issued_on is not None:
        fallback_year = draft.issued_on.value.year
    draft.deadlines = _deadlines(doc, fallback_year, warnings)

    for fragment in header.invalid_dates:
        warnings.append(_("An invalid date was ignored: %(date)s.") % {"date": fragment})
    missing = (
        (draft.document_kind, _("The kind of document (Chỉ thị, Kế hoạch…) was not found.")),
        (draft.number, _("No document number found.")),
        (draft.issued_on, _("No date of issue found.")),
        (draft.title, _("No title found.")),
        (draft.authority, _("The launching authority was not found.")),
        (
            draft.campaign_kind,
            _("The kind of campaign (regular, thematic, sprint, special) was not recognised."),
        ),
        (draft.period_start, _("The campaign period is not stated.")),
    )
    draft.warnings = [message for value, message in missing if value is None]
    if not draft.content_items:
        draft.warnings.append(_("No content items found."))
    draft.warnings.extend(warnings)
    draft.warnings = list(dict.fromkeys(draft.warnings))
    return draft
