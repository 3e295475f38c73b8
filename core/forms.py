from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Sign-in with username or e-mail; the messages avoid telling which part was wrong."""

    username = forms.CharField(
        label=_("Username or e-mail"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    error_messages = {
        "invalid_login": _("The username/e-mail or password is not correct. The password is case-sensitive."),
        "inactive": _("This account is inactive."),
    }


@dataclass(frozen=True)
class _KeptFile:
    """What ClearableFileInput's template prints and links for the file already kept."""

    url: str
    name: str

    def __str__(self) -> str:
        return self.name


class KeptFileInput(forms.ClearableFileInput):
    """A file input whose "Currently" line names the file as it was uploaded and links to its
    permission-checked download (media files are never served directly)."""

    def __init__(self, *, url: str, name: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.kept = _KeptFile(url, name)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        if self.is_initial(value):
            context["widget"]["value"] = self.kept
        return context
