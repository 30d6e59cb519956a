"""Forms of accounts and teams; their messages are what a 422 shows."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import UserCreationForm

from canvas_site.text import TextField
from canvases.models import INVITABLE_ROLES, Role


class TeamForm(forms.Form):
    name = TextField(max_length=120, error_messages={"required": "Give the team a name."})


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        choices=Role.choices, error_messages={"invalid_choice": "Pick owner, editor or viewer."}
    )


class InvitationForm(forms.Form):
    # Not given: an editor, what every link gave before links had a role.
    role = forms.ChoiceField(
        choices=INVITABLE_ROLES,
        initial=Role.EDITOR,
        required=False,
        error_messages={
            "invalid_choice": "A link makes viewers or editors; make owners from the members list.",
        },
    )
    single_use = forms.BooleanField(required=False)

    def clean_role(self) -> str:
        return self.cleaned_data["role"] or Role.EDITOR


class SignUpForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = ["username"]
