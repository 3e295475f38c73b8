"""Upload checks: the type is sniffed from the content, never trusted from the name or browser."""

from __future__ import annotations

import io
import os
import re
import unicodedata
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
MAX_NAME_LENGTH = 150

_ZIP_MARKERS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
_MAGIC = {
    "pdf": (b"%PDF-",),
    "doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    "xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}
_ZIP_MAGIC = b"PK\x03\x04"
_SAFE_NAME = re.compile(r"[^a-z0-9._-]+")
# Control, format (bidi overrides such as U+202E), surrogate and line/paragraph separator
# characters: invisible in a file list, they let "x\u202efdp.exe" pass for "xexe.pdf".
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}
# Names Windows refuses to create, whatever the extension: a unit could not save the download.
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in range(1, 10)}


def _head(upload: Any, size: int = 8) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _mismatch(kind: str) -> ValidationError:
    return ValidationError(
        _("The file content does not match its .%(ext)s extension.") % {"ext": kind}, code="content"
    )


def _damaged(kind: str) -> ValidationError:
    return ValidationError(
        _("The .%(ext)s file is damaged and cannot be read. Open it, save it again and retry.")
        % {"ext": kind},
        code="damaged",
    )


def _bomb() -> ValidationError:
    return ValidationError(
        _("The file is not a valid document (it expands to an abnormal size)."), code="zip_bomb"
    )


def _zip_totals(archive: zipfile.ZipFile, *, nested: bool) -> tuple[int, int]:
    """Entries and unpacked bytes of an archive, counting archives inside it once (no deeper)."""
    entries = archive.infolist()
    count, size = len(entries), sum(e.file_size for e in entries)
    if count > MAX_ZIP_ENTRIES or size > MAX_UNZIPPED_BYTES:
        raise _bomb()
    for entry in entries:
        if entry.is_dir() or entry.file_size < len(_ZIP_MAGIC):
            continue
        with archive.open(entry) as member:
            if member.read(len(_ZIP_MAGIC)) != _ZIP_MAGIC:
                continue
            # Office embeds workbooks in documents (a chart's data), but never an archive
            # inside that: a second level is a "42.zip"-style bomb.
            if nested:
                raise _bomb()
            inner = io.BytesIO(_ZIP_MAGIC + member.read())
        try:
            with zipfile.ZipFile(inner) as inner_archive:
                inner_count, inner_size = _zip_totals(inner_archive, nested=True)
        except zipfile.BadZipFile as error:
            raise _bomb() from error
        count, size = count + inner_count, size + inner_size
        if count > MAX_ZIP_ENTRIES or size > MAX_UNZIPPED_BYTES:
            raise _bomb()
    return count, size


def _check_zip(upload: Any, kind: str) -> None:
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        upload.seek(0)
        raise _mismatch(kind) from error
    try:
        with archive:
            _zip_totals(archive, nested=False)
            if _ZIP_MARKERS[kind] not in archive.namelist():
                raise _mismatch(kind)
            # The sizes in the directory can lie; zipfile stops at the declared size and the
            # checksum then fails, so a lying member is refused here rather than in a reader.
            if archive.testzip() is not None:
                raise _damaged(kind)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError) as error:
        # RuntimeError: an encrypted member; NotImplementedError: an unknown compression.
        raise _damaged(kind) from error
    finally:
        upload.seek(0)


def _check_text(upload: Any) -> None:
    data = upload.read()
    upload.seek(0)
    if b"\x00" in data:
        raise _mismatch("txt")


def _check_name(raw: str) -> str:
    """The base name, in NFC, or ValidationError when it hides or reserves something."""
    name = raw or ""
    if not name or "/" in name or "\\" in name or name in {".", ".."}:
        raise ValidationError(_("The file name is not valid."), code="name")
    if any(unicodedata.category(ch) in _HIDDEN_CATEGORIES for ch in name):
        raise ValidationError(
            _("The file name contains invisible or control characters. Rename the file and try again."),
            code="name_hidden",
        )
    # A Mac writes Vietnamese letters decomposed (a + combining marks): store them composed so
    # the name shows, sorts and is searched like everyone else's.
    name = unicodedata.normalize("NFC", name)
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(_("The file name is too long (at most 150 characters)."), code="name_length")
    if name.split(".", 1)[0].strip().upper() in _WINDOWS_RESERVED:
        raise ValidationError(
            _("“%(name)s” is a name Windows reserves for devices. Rename the file and try again.")
            % {"name": name},
            code="name_reserved",
        )
    return name


def validate_upload(upload: Any, *, allowed: set[str], max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    """Check name, size and real content type; return the file kind (its checked extension).

    The upload's name is replaced by its NFC form, which the services keep as the name shown.
    """
    name = _check_name(upload.name or "")
    upload.name = name
    kind = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if kind not in allowed:
        raise ValidationError(
            _("Files of this type are not accepted. Allowed: %(types)s.")
            % {"types": ", ".join(f".{ext}" for ext in sorted(allowed))},
            code="type",
        )
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is too large (at most %(size)d MB).") % {"size": max_bytes // (1024 * 1024)},
            code="size",
        )
    if kind in _ZIP_MARKERS:
        _check_zip(upload, kind)
    elif kind == "txt":
        _check_text(upload)
    elif not _head(upload).startswith(_MAGIC[kind]):
        raise _mismatch(kind)
    return kind


def unguessable_name(original: str) -> str:
    """A storage name that cannot be guessed but keeps a readable, safe version of the original."""
    stem, _dot, ext = os.path.basename(original).rpartition(".")
    readable = _SAFE_NAME.sub("-", fold(stem or ext))[:60].strip("-") or "tep"
    return f"{uuid.uuid4().hex}-{readable}.{_SAFE_NAME.sub('', ext.lower())[:10]}"


def original_name(upload: Any) -> str:
    """The name the file was uploaded under, composed (NFC) and cut to the column, to give it back."""
    return unicodedata.normalize("NFC", os.path.basename(upload.name or ""))[:255]


def download_name(file: Any, original: str) -> str:
    """The name a download is saved under: the uploaded name, or for files kept before it was
    recorded, the readable part of the stored name (after the random prefix)."""
    return original or file.name.rsplit("/", 1)[-1].split("-", 1)[-1]
