"""`manage.py import_directive FILE --dry-run`: print the campaign draft read from a directive.

Saving the draft as a campaign comes later; for now the command only shows what the rules found,
so staff and developers can check a document before the review screen exists.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from campaigns.directive import draft_as_dict, parse_directive, read_document


class Command(BaseCommand):
    help = "Print, as JSON, the campaign draft extracted from a directive or plan (.txt or .docx)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="The directive, plan or article: a .txt or .docx file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the draft without saving anything (required)."
        )

    def handle(self, *args: Any, file: str, dry_run: bool, **options: Any) -> None:
        if not dry_run:
            raise CommandError(
                _(
                    "Only --dry-run is available for now: saving the draft as a campaign is not supported yet."
                ),
                returncode=2,
            )
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc}) from exc
        try:
            text = read_document(path.name, data)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        draft = parse_directive(text)
        self.stdout.write(json.dumps(draft_as_dict(draft), ensure_ascii=False, indent=2))
