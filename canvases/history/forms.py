"""The named-version form; its messages are what a 422 shows."""

from __future__ import annotations

from django import forms

from canvas_site.text import TextField


class VersionForm(forms.Form):
    name = TextField(max_length=120, error_messages={"required": "Name the version."})
    comment = forms.CharField(max_length=2000, required=False, widget=forms.Textarea)
