"""Upload checks: the type is sniffed from the content, never trusted from the name or browser."""

from __future__ import annotations

import os
import re
import uuid
import zipfile
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.text import fold

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# An Office file expands to at most this much; more is a zip bomb.
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 2000

_ZIP_MARKERS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
_MAGIC = {
    "pdf": (b"%PDF-",),
    "doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    "xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}
_SAFE_NAME = re.compile(r"[^a-z0-9._-]+")


def _head(upload: Any, size: int = 8) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _check_zip(upload: Any, kind: str) -> None:
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > MAX_UNZIPPED_BYTES:
                raise ValidationError(_("The file is not a valid document (it expands to an abnormal size)."))
            if _ZIP_MARKERS[kind] not in archive.namelist():
                raise ValidationError(
                    _("The file content does not match its .%(ext)s extension.") % {"ext": kind}
                )
    except zipfile.BadZipFile as error:
        raise ValidationError(
            _("The file content does not match its .%(ext)s extension.") % {"ext": kind}
        ) from error
    finally:
        upload.seek(0)


def _check_text(upload: Any) -> None:
    data = upload.read()
    upload.seek(0)
    if b"\x00" in data:
        raise ValidationError(_("The file content does not match its .%(ext)s extension.") % {"ext": "txt"})


def validate_upload(upload: Any, *, allowed: set[str], max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    """Check name, size and real content type; return the file kind (its checked extension)."""
    name = os.path.basename(upload.name or "")
    if not name or name != upload.name.replace("\\", "/").split("/")[-1] or any(ord(ch) < 32 for ch in name):
        raise ValidationError(_("The file name is not valid."))
    if len(name) > 150:
        raise ValidationError(_("The file name is too long (at most 150 characters)."))
    kind = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if kind not in allowed:
        raise ValidationError(
            _("Files of this type are not accepted. Allowed: %(types)s.")
            % {"types": ", ".join(f".{ext}" for ext in sorted(allowed))}
        )
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is too large (at most %(size)d MB).") % {"size": max_bytes // (1024 * 1024)}
        )
    if kind in _ZIP_MARKERS:
        _check_zip(upload, kind)
    elif kind == "txt":
        _check_text(upload)
    elif not _head(upload).startswith(_MAGIC[kind]):
        raise ValidationError(_("The file content does not match its .%(ext)s extension.") % {"ext": kind})
    return kind


def unguessable_name(original: str) -> str:
    """A storage name that cannot be guessed but keeps a readable, safe version of the original."""
    stem, _dot, ext = os.path.basename(original).rpartition(".")
    readable = _SAFE_NAME.sub("-", fold(stem or ext))[:60].strip("-") or "tep"
    return f"{uuid.uuid4().hex}-{readable}.{_SAFE_NAME.sub('', ext.lower())[:10]}"
