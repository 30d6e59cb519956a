"""What counts as written text: a required field must hold something a person can see.

Whitespace and invisible characters render as nothing: zero-width space and joiners (U+200B,
U+200C, U+200D), the word joiner (U+2060), the byte-order mark (U+FEFF) and every other format
character (Unicode category Cf), and control characters (Cc). A note made only of them is an
empty note, so every required user text field goes through `is_blank` (forms through
`TextField`, the file importer directly), and no form spells the rule again.
"""

from __future__ import annotations

import unicodedata

from django import forms

INVISIBLE_CATEGORIES = {"Cc", "Cf"}


def is_blank(text: str) -> bool:
    """True when the text shows nothing: only whitespace, format and control characters."""
    return all(
        char.isspace() or unicodedata.category(char) in INVISIBLE_CATEGORIES for char in text
    )


class TextField(forms.CharField):
    """A CharField for which invisible text is no text: a required one answers "required"."""

    def to_python(self, value: object) -> str:
        text = super().to_python(value)
        # The field's own "required" message (e.g. "a note cannot be empty") then applies.
        return self.empty_value if isinstance(text, str) and is_blank(text) else text
