from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from clusters.models import Cluster, Unit
from core.forms import KeptFileInput
from core.uploads import download_name, validate_upload

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


class CampaignGeneralForm(forms.ModelForm):
    """Step 1: what the campaign is and the document that launches it."""

    class Meta:
        model = Campaign
        fields = [
            "title",
            "theme",
            "kind",
            "scope",
            "launching_authority",
            "document_kind",
            "document_number",
            "document_date",
            "document_signer",
            "document_file",
            "parent",
            "start_date",
            "end_date",
            "purposes",
            "requirements",
        ]
        widgets = {
            "title": forms.TextInput(),
            "theme": forms.Textarea(attrs={"rows": 2}),
            "purposes": forms.Textarea(attrs={"rows": 4}),
            "requirements": forms.Textarea(attrs={"rows": 4}),
            "document_date": DATE_WIDGET,
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = Campaign.objects.exclude(status="draft").order_by("-start_date")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        if self.instance.pk and self.instance.document_file:
            self.fields["document_file"].widget = KeptFileInput(
                url=reverse("campaigns:campaign_file", args=[self.instance.pk]),
                name=download_name(self.instance.document_file, self.instance.document_original_name),
            )

    def clean_document_file(self) -> Any:
        upload = self.cleaned_data.get("document_file")
        if upload and hasattr(upload, "content_type"):
            validate_upload(upload, allowed={"pdf", "docx", "doc"})
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must not be before the start date."))
        return data


class CampaignContentForm(forms.Form):
    """Step 2: the content items, one per paragraph; the first line of each is its title."""

    content = forms.CharField(
        label=_("Content items"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Separate items with an empty line. The first line of each item is its title."),
    )

    def items(self) -> list[tuple[str, str]]:
        blocks = [block.strip() for block in self.cleaned_data["content"].replace("\r\n", "\n").split("\n\n")]
        result = []
        for block in blocks:
            if not block:
                continue
            title, _sep, rest = block.partition("\n")
            result.append((title.strip(), block if rest.strip() else ""))
        return result


class CampaignParticipantsForm(forms.ModelForm):
    """Step 3: who takes part and the registration and award-dossier windows."""

    class Meta:
        model = Campaign
        fields = [
            "participant_mode",
            "participant_clusters",
            "participant_units",
            "registration_opens",
            "registration_closes",
            "dossier_opens",
            "dossier_closes",
        ]
        widgets = {
            "participant_mode": forms.RadioSelect,
            "participant_clusters": forms.CheckboxSelectMultiple,
            "participant_units": forms.SelectMultiple(attrs={"size": 12}),
            "registration_opens": DATE_WIDGET,
            "registration_closes": DATE_WIDGET,
            "dossier_opens": DATE_WIDGET,
            "dossier_closes": DATE_WIDGET,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant_clusters"].queryset = Cluster.objects.filter(is_active=True).order_by(
            "kind", "code"
        )
        self.fields["participant_units"].queryset = Unit.objects.filter(active_to__isnull=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        mode = data.get("participant_mode")
        if mode == "clusters" and not data.get("participant_clusters"):
            self.add_error("participant_clusters", _("Choose at least one cluster or bloc."))
        if mode == "units" and not data.get("participant_units"):
            self.add_error("participant_units", _("Choose at least one unit."))
        for opens, closes in (
            ("registration_opens", "registration_closes"),
            ("dossier_opens", "dossier_closes"),
        ):
            if data.get(opens) and data.get(closes) and data[closes] < data[opens]:
                self.add_error(closes, _("The window must close after it opens."))
        return data


class DirectiveForm(forms.Form):
    """Paste the text of a directive or plan, or upload it as .txt or .docx."""

    text = forms.CharField(
        label=_("Text of the directive or plan"), widget=forms.Textarea(attrs={"rows": 14}), required=False
    )
    file = forms.FileField(label=_("Or upload a file (.txt, .docx)"), required=False)

    def clean(self) -> dict[str, Any]:
        from campaigns.directive import read_document

        data = super().clean()
        upload = data.get("file")
        if upload:
            validate_upload(upload, allowed={"txt", "docx"})
            try:
                data["text"] = read_document(upload.name, upload.read())
            except ValueError as error:
                self.add_error("file", str(error))
        if not (data.get("text") or "").strip() and not self.errors:
            raise forms.ValidationError(_("Paste the text or choose a file."))
        return data


class TransitionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CampaignDocumentForm(forms.Form):
    """An attachment for participants: guidance, forms, the signed plan."""

    title = forms.CharField(label=_("Title"), max_length=255)
    file = forms.FileField(label=_("File (PDF, Word, Excel, image; at most 20 MB)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        validate_upload(upload, allowed={"pdf", "docx", "doc", "xlsx", "xls", "png", "jpg", "jpeg"})
        return upload
