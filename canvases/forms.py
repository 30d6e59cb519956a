"""Forms validate what users type; their messages are what a 422 shows."""

from __future__ import annotations

from django import forms

from canvas_site.text import TextField

from .models import NOTE_MAX_LENGTH, BlockKind, Canvas, NoteColour

NOTE_TEXT_ERRORS = {
    "required": "Write something first: a note cannot be empty.",
    "max_length": f"A note holds at most {NOTE_MAX_LENGTH:,} characters "
    "(this one has %(show_value)s). Split it into several notes.",
}


class NoteForm(forms.Form):
    text = TextField(
        max_length=NOTE_MAX_LENGTH,
        error_messages=NOTE_TEXT_ERRORS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    colour = forms.ChoiceField(choices=NoteColour.choices, required=False)

    def clean_colour(self) -> str:
        return self.cleaned_data.get("colour") or NoteColour.YELLOW


class NoteEditForm(forms.Form):
    text = TextField(
        max_length=NOTE_MAX_LENGTH,
        error_messages=NOTE_TEXT_ERRORS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class NoteColourForm(forms.Form):
    colour = forms.ChoiceField(
        choices=NoteColour.choices,
        error_messages={"invalid_choice": "Pick one of the palette's colours."},
    )


class NoteMoveForm(forms.Form):
    """Either an explicit place (block and position, from drag and drop) or a step (from a menu)."""

    STEPS = ["up", "down", "previous-block", "next-block"]

    block = forms.ChoiceField(choices=BlockKind.choices, required=False)
    position = forms.IntegerField(min_value=0, required=False)
    step = forms.ChoiceField(choices=[(step, step) for step in STEPS], required=False)

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("step") and not data.get("block"):
            raise forms.ValidationError("Say where the note goes: a block, or a step.")
        return data


class CanvasForm(forms.ModelForm):
    class Meta:
        model = Canvas
        fields = ["title", "description", "currency", "focus_segment_count"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"title": TextField}
        error_messages = {
            "title": {"required": "Give the canvas a title."},
            "currency": {"max_length": "Give a three-letter currency code, e.g. EUR or USD."},
            "focus_segment_count": {
                "min_value": "Focus on at least one segment.",
                "max_value": "Focus on at most 20 segments.",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Creating a canvas asks only for a title; the rest have good defaults.
        self.fields["currency"].required = False
        self.fields["focus_segment_count"].required = False

    def clean_currency(self) -> str:
        code = (self.cleaned_data.get("currency") or self.instance.currency or "EUR").upper()
        if len(code) != 3 or not code.isalpha():
            raise forms.ValidationError("Give a three-letter currency code, e.g. EUR or USD.")
        return code

    def clean_focus_segment_count(self) -> int:
        value = self.cleaned_data.get("focus_segment_count")
        return value if value is not None else self.instance.focus_segment_count

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip()
