"""Forms of accounts and teams; their messages are what a 422 shows."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm, UserCreationForm

from canvas_site.text import TextField
from canvases.models import INVITABLE_ROLES, Role, account_of

ADDRESS_TAKEN = "Another account uses this address. Log in to it, or reset its password."


class TeamForm(forms.Form):
    name = TextField(max_length=120, error_messages={"required": "Give the team a name."})


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        choices=Role.choices, error_messages={"invalid_choice": "Pick owner, editor or viewer."}
    )


def address_taken(email: str, *, by_other_than=None) -> bool:
    """For the form's message only: the unique index decides (canvases.teams.accounts)."""
    others = get_user_model().objects.filter(email__iexact=email)
    if by_other_than is not None:
        others = others.exclude(pk=by_other_than.pk)
    return bool(email) and others.exists()


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
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="For a link to reset your password if you forget it. Nobody else sees it.",
        error_messages={"required": "Give an email address: it is how you get back in."},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    class Meta(UserCreationForm.Meta):
        fields = ["username", "email"]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if address_taken(email):
            raise forms.ValidationError(ADDRESS_TAKEN)
        return email


class EmailForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        required=False,
        help_text="Leave it empty to get no email at all (and no password reset).",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if address_taken(email, by_other_than=self.user):
            raise forms.ValidationError(ADDRESS_TAKEN)
        return email


class NotificationsForm(forms.Form):
    # An unticked checkbox sends nothing: "off" is the field's absence, so it cannot be invalid.
    mention_emails = forms.BooleanField(label="Email me when someone mentions me", required=False)


class VerifiedPasswordResetForm(PasswordResetForm):
    """A reset link is the key to the account: it goes only to an address its owner proved,
    never to one typed at sign-up and not confirmed (a typo would hand the account to
    whoever owns the mistyped address)."""

    def get_users(self, email: str):
        return (user for user in super().get_users(email) if account_of(user).email_verified)
