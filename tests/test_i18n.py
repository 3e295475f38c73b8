"""Translation catalogues: complete, compiled and used.

The interface is Vietnamese first: every message marked for translation in Python code and
templates must have a Vietnamese translation in ``locale/vi/LC_MESSAGES/django.po``, the
compiled ``django.mo`` committed beside it must match that file (``make run`` works without
gettext), and pages must render in Vietnamese by default and in English on request.

To fix a failure of the first tests, run::

    .venv/bin/python manage.py makemessages -l vi -l en --no-location --no-obsolete \\
        -e html,txt,py --ignore=.venv --ignore=staticfiles --ignore=var --ignore=tests
    # translate the new or fuzzy entries of locale/vi/LC_MESSAGES/django.po, then
    .venv/bin/python manage.py compilemessages --ignore=.venv
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import translation

BASE_DIR = Path(django_settings.BASE_DIR)
LOCALE_DIR = BASE_DIR / "locale"
VI_PO = LOCALE_DIR / "vi" / "LC_MESSAGES" / "django.po"
VI_MO = LOCALE_DIR / "vi" / "LC_MESSAGES" / "django.mo"
EN_PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
EN_MO = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.mo"

# The same scope as the makemessages command above: these extensions, these folders left out.
EXTENSIONS = (".html", ".txt", ".py")
IGNORED_DIRS = {".venv", "venv", "staticfiles", "var", "tests", "locale", "node_modules", "__pycache__"}
GETTEXT_TOOLS = ("xgettext", "msguniq", "msgmerge", "msgattrib")

NAMED_PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


def _live(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete]


def _is_translated(entry: polib.POEntry) -> bool:
    if "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def _key(entry: polib.POEntry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


def _copy_translatable_sources(destination: Path) -> None:
    """Copy the files makemessages reads (same extensions and ignores) into ``destination``."""
    for dirpath, dirnames, filenames in os.walk(BASE_DIR):
        dirnames[:] = [name for name in dirnames if name not in IGNORED_DIRS and not name.startswith(".")]
        for filename in filenames:
            if Path(filename).suffix in EXTENSIONS:
                source = Path(dirpath) / filename
                target = destination / source.relative_to(BASE_DIR)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)


def _describe(entries: list[polib.POEntry]) -> str:
    return "\n".join(f"  - {entry.msgid!r}" for entry in entries)


def test_every_message_in_the_code_has_a_vietnamese_translation(tmp_path, settings, monkeypatch):
    """makemessages run now finds no msgid that the Vietnamese catalogue lacks, leaves empty or fuzzy.

    The extraction runs on a temporary copy of the sources and of the committed catalogue, so
    the project's own ``locale/`` is never touched. A new ``{% translate "…" %}`` or ``_("…")``
    without a Vietnamese translation, or a changed msgid that gettext merges as fuzzy, fails.
    """
    missing_tools = [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]
    if missing_tools:
        pytest.skip(
            f"GNU gettext is not installed ({', '.join(missing_tools)} missing): apt-get install gettext"
        )

    workdir = tmp_path / "project"
    _copy_translatable_sources(workdir)
    catalogue = workdir / "locale" / "vi" / "LC_MESSAGES" / "django.po"
    catalogue.parent.mkdir(parents=True)
    shutil.copyfile(VI_PO, catalogue)

    monkeypatch.chdir(workdir)
    settings.LOCALE_PATHS = [str(workdir / "locale")]
    call_command(
        "makemessages",
        locale=["vi"],
        extensions=[ext.lstrip(".") for ext in EXTENSIONS],
        no_location=True,
        no_obsolete=True,
        verbosity=0,
    )

    committed = {_key(entry) for entry in _live(polib.pofile(str(VI_PO)))}
    extracted = _live(polib.pofile(str(catalogue)))
    assert extracted, "makemessages extracted no message at all: is the copy of the sources empty?"

    not_in_catalogue = [entry for entry in extracted if _key(entry) not in committed]
    known = [entry for entry in extracted if _key(entry) in committed]
    fuzzy = [entry for entry in known if "fuzzy" in entry.flags]
    empty = [entry for entry in known if "fuzzy" not in entry.flags and not _is_translated(entry)]

    problems = []
    if not_in_catalogue:
        problems.append(f"Not in locale/vi/LC_MESSAGES/django.po:\n{_describe(not_in_catalogue)}")
    if empty:
        problems.append(f"Untranslated (empty msgstr):\n{_describe(empty)}")
    if fuzzy:
        problems.append(f"Fuzzy:\n{_describe(fuzzy)}")
    assert not problems, "\n".join(problems) + "\nRun makemessages, translate, then compilemessages."


def test_vietnamese_catalogue_is_complete_and_keeps_placeholders():
    """Every live entry of the Vietnamese .po is translated, not fuzzy, and keeps the msgid's %(name)s placeholders."""
    po = polib.pofile(str(VI_PO))
    assert po.metadata.get("Language") == "vi"
    assert po.metadata.get("Plural-Forms", "").replace(" ", "") == "nplurals=1;plural=0;"
    assert "charset=UTF-8" in po.metadata.get("Content-Type", "")

    untranslated = [entry for entry in _live(po) if not _is_translated(entry)]
    assert not untranslated, f"Untranslated or fuzzy:\n{_describe(untranslated)}"

    broken = []
    for entry in _live(po):
        # Vietnamese has one plural form, used for every count: it follows the plural msgid, whose
        # placeholders include the count that a singular such as "One cell is wrong" leaves out.
        expected = set(NAMED_PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        if any(set(NAMED_PLACEHOLDER.findall(text)) != expected for text in translations):
            broken.append(entry)
    assert not broken, f"Placeholders differ between msgid and msgstr:\n{_describe(broken)}"


def test_english_catalogue_has_a_valid_header_and_falls_back_to_the_msgids():
    """The English .po declares English and two plural forms; its entries stay empty so the msgid shows."""
    po = polib.pofile(str(EN_PO))
    assert po.metadata.get("Language") == "en"
    assert po.metadata.get("Plural-Forms", "").replace(" ", "") == "nplurals=2;plural=(n!=1);"
    assert "charset=UTF-8" in po.metadata.get("Content-Type", "")
    assert not po.metadata_is_fuzzy
    assert EN_MO.is_file(), "locale/en/LC_MESSAGES/django.mo is missing: run compilemessages"


def _translations(catalogue: polib.POFile | polib.MOFile) -> dict[tuple[str | None, str], object]:
    table: dict[tuple[str | None, str], object] = {}
    for entry in catalogue:
        if entry.obsolete or not entry.msgid or not _is_translated(entry):
            continue
        if entry.msgid_plural:
            table[_key(entry)] = tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural))
        else:
            table[_key(entry)] = entry.msgstr
    return table


def _served(entry: polib.POEntry) -> str:
    if entry.msgctxt:
        return translation.pgettext(entry.msgctxt, entry.msgid)
    return translation.gettext(entry.msgid)


def _served_plural(entry: polib.POEntry) -> str:
    if entry.msgctxt:
        return translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1)
    return translation.ngettext(entry.msgid, entry.msgid_plural, 1)


def test_compiled_vietnamese_catalogue_matches_the_po():
    """locale/vi/LC_MESSAGES/django.mo holds exactly the translations of django.po, and Django serves them."""
    assert VI_MO.is_file(), "locale/vi/LC_MESSAGES/django.mo is missing: run compilemessages"
    expected = _translations(polib.pofile(str(VI_PO)))
    compiled = _translations(polib.mofile(str(VI_MO)))

    stale = sorted(
        (key for key in expected.keys() | compiled.keys() if expected.get(key) != compiled.get(key)),
        key=lambda key: key[1],
    )
    assert not stale, (
        "django.mo is out of date with django.po for:\n"
        + "\n".join(f"  - {msgid!r}" for _, msgid in stale)
        + "\nRun: .venv/bin/python manage.py compilemessages --ignore=.venv"
    )

    with translation.override("vi"):
        wrong = []
        for entry in _live(polib.pofile(str(VI_PO))):
            if entry.msgid_plural:
                served = _served_plural(entry)
                wanted = entry.msgstr_plural[0]
            else:
                served = _served(entry)
                wanted = entry.msgstr
            if served != wanted:
                wrong.append(entry)
    assert not wrong, f"Django does not serve the catalogue's translation for:\n{_describe(wrong)}"


@pytest.mark.django_db
def test_pages_render_in_vietnamese_by_default_and_in_english_on_request(client):
    """The sign-in page is Vietnamese without a language choice, English after choosing it in the footer."""
    response = client.get("/dang-nhap/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="vi">' in page
    assert "Đăng nhập" in page
    assert "Sign in" not in page

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/dang-nhap/"})
    assert response.status_code == 302
    assert response.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "en"

    response = client.get("/dang-nhap/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "Sign in" in page
    assert "Đăng nhập" not in page
