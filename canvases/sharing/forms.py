"""The share-link form; its messages are what a 422 shows."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone

from canvas_site.text import TextField


class ShareLinkForm(forms.Form):
    label = TextField(
        max_length=80,
        required=False,
        error_messages={"max_length": "Keep the label under 80 characters."},
    )
    expires_on = forms.DateField(
        required=False,
        error_messages={"invalid": "Give the date as YYYY-MM-DD, or leave it empty."},
    )
    show_member_names = forms.BooleanField(required=False)

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError("Pick today or a later day, or leave it empty.")
        return day

    @property
    def expires_at(self) -> datetime | None:
        """The link works until the end of the chosen day (in the app's time zone)."""
        day = self.cleaned_data["expires_on"]
        if day is None:
            return None
        return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
