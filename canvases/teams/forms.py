"""Forms of accounts and teams; their messages are what a 422 shows."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import UserCreationForm

from canvas_site.text import TextField
from canvases.models import Role


class TeamForm(forms.Form):
    name = TextField(max_length=120, error_messages={"required": "Give the team a name."})


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        choices=Role.choices, error_messages={"invalid_choice": "Pick owner, editor or viewer."}
    )


class SignUpForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = ["username"]
