"""What a comment may say: visible text of at most 5,000 characters."""

from __future__ import annotations

from django import forms

from canvas_site.text import TextField
from canvases.models import COMMENT_MAX_LENGTH


class CommentForm(forms.Form):
    text = TextField(
        max_length=COMMENT_MAX_LENGTH,
        error_messages={
            "required": "Write something first: a comment cannot be empty.",
            "max_length": f"A comment holds at most {COMMENT_MAX_LENGTH:,} characters "
            "(this one has %(show_value)s).",
        },
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ActivityFilter(forms.Form):
    """The activity page's filters (GET): a person and a block, both optional."""

    person = forms.CharField(required=False, max_length=150)
    block = forms.CharField(required=False, max_length=32)
    before = forms.DateTimeField(required=False)
