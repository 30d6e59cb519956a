"""Forms of the customer profile, value map and empathy map; their messages are what a 422 shows."""

from __future__ import annotations

from django import forms

from canvas_site.text import TextField
from segments.models import (
    ADDRESSES,
    SCORE_NAMES,
    EmpathyEntry,
    GainKind,
    JobKind,
    ProfileEntry,
    ProfileList,
    Segment,
    ValueMapKind,
)

SCORE_ERRORS = {
    "min_value": "Scores go from 1 to 5.",
    "max_value": "Scores go from 1 to 5.",
    "invalid": "Scores go from 1 to 5.",
    "required": "Give a score from 1 to 5.",
}
TEXT_ERRORS = {
    "required": "Write something first: the text cannot be empty.",
    "max_length": "Keep it under %(limit_value)d characters (this has %(show_value)d).",
}


class ProfileEntryForm(forms.ModelForm):
    """A job, pain or gain; which fields matter depends on the list."""

    class Meta:
        model = ProfileEntry
        fields = ["text", "score", "job_kind", "job_role", "context", "gain_kind"]
        field_classes = {"text": TextField}
        error_messages = {
            "text": TEXT_ERRORS,
            "score": SCORE_ERRORS,
            "job_kind": {"invalid_choice": "Pick functional, social, emotional or supporting."},
            "job_role": {"invalid_choice": "Pick buyer, co-creator or transferrer."},
            "gain_kind": {"invalid_choice": "Pick required, expected, desired or unexpected."},
        }

    def __init__(self, *args, list: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.list = list
        self.fields["score"].label = SCORE_NAMES[ProfileList(list)].capitalize()

    def clean_text(self) -> str:
        return self.cleaned_data["text"].strip()

    def clean(self) -> dict:
        data = super().clean()
        if self.list == ProfileList.JOB:
            data["job_kind"] = data.get("job_kind") or JobKind.FUNCTIONAL
            if data["job_kind"] != JobKind.SUPPORTING:
                data["job_role"] = ""  # only supporting jobs have a buyer / co-creator role
            elif not data.get("job_role"):
                self.add_error(
                    "job_role", "A supporting job needs its role: buyer, co-creator or transferrer."
                )
        else:
            data["job_kind"], data["job_role"], data["context"] = "", "", ""
        if self.list == ProfileList.GAIN:
            data["gain_kind"] = data.get("gain_kind") or GainKind.DESIRED
        else:
            data["gain_kind"] = ""
        return data


class ValueMapItemForm(forms.Form):
    text = TextField(max_length=500, error_messages=TEXT_ERRORS)
    addresses = forms.ModelMultipleChoiceField(queryset=ProfileEntry.objects.none(), required=False)

    def __init__(self, *args, segment: Segment, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        wanted = ADDRESSES[ValueMapKind(kind)]
        message = (
            f"{ValueMapKind(kind).label} can only address this segment's "
            f"{ProfileList(wanted).label.lower()}."
        )
        field = self.fields["addresses"]
        field.queryset = segment.profile_entries.filter(list=wanted)
        field.error_messages = {"invalid_choice": message, "invalid_pk_value": message}


class EmpathyForm(forms.ModelForm):
    class Meta:
        model = EmpathyEntry
        fields = ["text"]
        field_classes = {"text": TextField}
        error_messages = {"text": TEXT_ERRORS}


class PromoteForm(forms.Form):
    list = forms.ChoiceField(
        choices=ProfileList.choices,
        error_messages={"invalid_choice": "Promote it to a job, a pain or a gain."},
    )
