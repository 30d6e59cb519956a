"""The base of every object of the canvas file: strict models (no unknown field, no coercion,
no NUL), and required text that must show something. Canvases' and extensions' parts of the
file build on these (canvases.exports.canvas_file, comments_file; segments.canvas_file)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, field_validator
from pydantic_core import PydanticCustomError

from canvas_site.text import is_blank


def literal(choices, *, blank: bool = False) -> type:
    """A Literal type of a TextChoices' values (and "" when blank is allowed)."""
    values = ("", *choices.values) if blank else tuple(choices.values)
    return Literal[values]  # type: ignore[valid-type]


class Strict(BaseModel):
    """What every object of the file is: no unknown field, no coercion, no NUL anywhere."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    @field_validator("*", mode="before")
    @classmethod
    def no_nul(cls, value):
        # PostgreSQL text cannot hold NUL: refuse it in every string of the file, refs included.
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and "\x00" in text for text in texts):
            raise PydanticCustomError("nul", "contains a NUL character (\\0), which no text holds")
        return value


def written(text: str) -> str:
    """Refuse required text that shows nothing, as the app's forms do (canvas_site.text)."""
    if is_blank(text):
        raise PydanticCustomError("blank", "is empty (only spaces or invisible characters)")
    return text


Written = Annotated[str, AfterValidator(written)]
