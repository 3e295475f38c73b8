"""Helpers of the upload and fuzz suites: hostile files, raw multipart bodies, a database fingerprint.

The test client strips directories from file names before sending them, so hostile names are
posted in a multipart body written here byte for byte, as a browser or a script would send it.
"""

from __future__ import annotations

import functools
import io
import zipfile
from pathlib import Path
from typing import Any

from django.db import connection

BOUNDARY = "----thidua-fuzz-boundary-7f3a"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"This program cannot be run in DOS mode."
)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
HTML = b"<!doctype html><html><body><script>fetch('/tai-khoan/')</script></body></html>"

# Tables left out of the fingerprint: rows that change on any request (sessions, sign-in
# throttling), catalogues no screen writes, and the history tables, which only mirror writes to
# the tables that are checked.
_SKIPPED = (
    *("django_session", "axes_", "django_migrations", "django_content_type", "auth_permission"),
    *("auth_group", "awards_awardcategory", "awards_legalbasis"),
)


def multipart(fields: dict[str, Any], files: list[tuple[str, str, bytes, str]]) -> bytes:
    """A multipart/form-data body; `files` are (field, raw file name, content, content type)."""
    parts: list[bytes] = []
    for key, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            parts.append(
                f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'.encode()
                + str(item).encode("utf-8", "surrogatepass")
                + b"\r\n"
            )
    for key, name, content, content_type in files:
        header = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"; filename="{name}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        parts.append(header.encode("utf-8", "surrogatepass") + content + b"\r\n")
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def post_files(
    client: Any, url: str, fields: dict[str, Any], files: list[tuple[str, str, bytes, str]], **extra
):
    return client.post(url, data=multipart(fields, files), content_type=MULTIPART, **extra)


@functools.cache
def _tables() -> tuple[str, ...]:
    names = connection.introspection.table_names(include_views=False)
    return tuple(sorted(n for n in names if not n.startswith(_SKIPPED) and not n.endswith("event")))


def db_fingerprint() -> dict[str, tuple[int, str]]:
    """Row count and a checksum of every row of every table, in one query (PostgreSQL)."""
    qn = connection.ops.quote_name
    # Table names come from the database's own catalogue, not from input.
    select = "SELECT '{0}', count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {1} t"
    sql = " UNION ALL ".join(select.format(name, qn(name)) for name in _tables())
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {name: (count, digest) for name, count, digest in cursor.fetchall()}


def changed_tables(before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]) -> list[str]:
    return sorted(name for name in after if before.get(name) != after[name])


def media_files(root: Any) -> list[Path]:
    root = Path(root)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# --- Office files, good and hostile ---------------------------------------------------------------


def _zip(members: list[tuple[str, bytes]], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", compression) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return stream.getvalue()


_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"/>'
)
_DOCUMENT = (
    b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
    b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Ch\xe1\xbb\x89 th\xe1\xbb\x8b</w:t></w:r></w:p>'
    b"</w:body></w:document>"
)


def docx(extra: list[tuple[str, bytes]] | None = None) -> bytes:
    """A minimal Word document (enough for the sniffing and the directive reader)."""
    return _zip([("[Content_Types].xml", _CONTENT_TYPES), ("word/document.xml", _DOCUMENT), *(extra or [])])


@functools.cache
def xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Mã", "Tên"])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def _office(kind: str, extra: list[tuple[str, bytes]]) -> bytes:
    marker = "word/document.xml" if kind == "docx" else "xl/workbook.xml"
    return _zip([("[Content_Types].xml", _CONTENT_TYPES), (marker, b"<x/>"), *extra])


@functools.cache
def bomb_expansion(kind: str) -> bytes:
    """About 100 kB that unpacks to 101 MB of zeros."""
    return _office(kind, [("media/zeros.bin", b"\x00" * (101 * 1024 * 1024))])


@functools.cache
def bomb_entries(kind: str) -> bytes:
    """Thousands of tiny entries (a directory-parsing bomb)."""
    return _office(kind, [(f"parts/p{i}.xml", b"") for i in range(2100)])


@functools.cache
def bomb_nested(kind: str) -> bytes:
    """An archive inside an archive inside the document: the "42.zip" pattern."""
    inner = _zip([("deeper.zip", _zip([("zeros.bin", b"\x00" * 1024 * 1024)]))])
    return _office(kind, [("embeddings/package.zip", inner)])


@functools.cache
def bomb_lying_sizes(kind: str) -> bytes:
    """A member whose directory says 10 bytes but that inflates to 50 MB."""
    import struct

    name = b"media/big.bin"
    data = bytearray(_office(kind, [(name.decode(), b"A" * 50_000_000)]))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        offset = archive.getinfo(name.decode()).header_offset
    data[offset + 22 : offset + 26] = struct.pack("<I", 10)
    index = data.find(b"PK\x01\x02")
    while index != -1:
        length = struct.unpack("<H", data[index + 28 : index + 30])[0]
        if data[index + 46 : index + 46 + length] == name:
            data[index + 24 : index + 28] = struct.pack("<I", 10)
        index = data.find(b"PK\x01\x02", index + 4)
    return bytes(data)


def docx_with_embedded_workbook() -> bytes:
    """A real-world shape: a chart's data kept as a workbook inside the document."""
    return docx([("word/embeddings/Microsoft_Excel_Worksheet.xlsx", xlsx())])
