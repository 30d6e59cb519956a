"""Workshop forms: start, join, and the facilitator's one control form."""

from __future__ import annotations

import re

from django import forms

from canvas_site.text import TextField
from canvases.models import BlockKind

GUEST_SUFFIX = re.compile(r"\s*\(\s*guest\s*\)$", re.IGNORECASE)

# Each control is a verb of canvases.workshops.services; a button of the bar sends its name.
CONTROLS = [
    "timer-start", "timer-pause", "timer-resume", "timer-add", "focus", "private-on",
    "reveal", "anonymous-on", "anonymous-off", "voting-open", "voting-close", "room-on",
    "room-off", "lock", "unlock", "end", "revoke",
]  # fmt: skip


class StartForm(forms.Form):
    title = forms.CharField(max_length=120, required=False)
    hours = forms.TypedChoiceField(
        coerce=int, choices=[(0, "No expiry"), (2, "2 hours"), (8, "8 hours"), (24, "1 day")],
        required=False, empty_value=0,
    )  # fmt: skip


class JoinForm(forms.Form):
    display_name = TextField(
        max_length=40, error_messages={"required": "Tell the others your name (or a nickname)."}
    )

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        # The page says "(guest)" after every guest's name: typed in too, it would be doubled.
        name = GUEST_SUFFIX.sub("", name).strip()
        if not name:
            raise forms.ValidationError("Tell the others your name (or a nickname).")
        return name


class CodeForm(JoinForm):
    code = forms.CharField(
        max_length=12, error_messages={"required": "Type the code you were given."}
    )


class ControlForm(forms.Form):
    """The workshop bar's one form: which control, and what the chosen one needs."""

    action = forms.ChoiceField(
        choices=[(name, name) for name in CONTROLS],
        required=False,
        error_messages={"invalid_choice": "That is not one of the workshop's controls."},
    )
    minutes = forms.IntegerField(
        min_value=1, max_value=180, required=False,
        error_messages={
            "min_value": "Set the timer to between 1 and 180 minutes.",
            "max_value": "Set the timer to between 1 and 180 minutes.",
            "invalid": "Set the timer to between 1 and 180 minutes.",
        },
    )  # fmt: skip
    block = forms.ChoiceField(
        choices=[("", "no block"), *BlockKind.choices], required=False,
        error_messages={"invalid_choice": "No such block."},
    )  # fmt: skip
    vote_block = forms.ChoiceField(
        choices=[("", "the whole canvas"), *BlockKind.choices], required=False,
        error_messages={"invalid_choice": "No such block."},
    )  # fmt: skip
    budget = forms.IntegerField(
        min_value=1, max_value=20, required=False,
        error_messages={
            "min_value": "Give each person between 1 and 20 dots.",
            "max_value": "Give each person between 1 and 20 dots.",
            "invalid": "Give each person between 1 and 20 dots.",
        },
    )  # fmt: skip
    # Empty: no budget of its own (0 in the database); a typed 0 is a slip, not "no limit".
    room_budget = forms.IntegerField(
        min_value=1, max_value=500, required=False,
        error_messages={
            "min_value": "Give the room between 1 and 500 dots (or leave it empty).",
            "max_value": "Give the room between 1 and 500 dots (or leave it empty).",
            "invalid": "Give the room between 1 and 500 dots (or leave it empty).",
        },
    )  # fmt: skip
    guest = forms.IntegerField(required=False)
    # A guest's "remove" button sends the guest: it is the revoke control.
    revoke = forms.IntegerField(required=False)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("revoke") is not None:
            data["action"], data["guest"] = "revoke", data["revoke"]
        action = data.get("action")
        if not action and not self.errors:
            raise forms.ValidationError("Which control? (the button's action)")
        if action == "timer-start" and data.get("minutes") is None and not self.errors:
            data["minutes"] = 5
        if action == "voting-open" and data.get("budget") is None and not self.errors:
            data["budget"] = 3
        if action == "room-on" and data.get("room_budget") is None and not self.errors:
            data["room_budget"] = 0  # no budget of its own
        return data

    def first_error(self) -> str:
        return next(error for errors in self.errors.values() for error in errors)
