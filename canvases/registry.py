"""Extension points: how an app built on canvases adds its part to a canvas (segments do: dots
on notes, a lens, a list in Customer Segments, links in the note editor, a section of the
canvas file, pages of the PDF pack, demo content) while canvases import nothing of it.

An app subclasses `CanvasExtension`, overrides the hooks it needs (each has a do-nothing
default) and calls `register()` in its AppConfig.ready(), in the manner of Django's admin
autodiscovery and Wagtail's hooks. Canvases call `extensions()` wherever a hook applies:
- the page: `board_state` once per page or fragment, then `decorate_notes`, `page_context`,
  `panels` (templates included in named places of the page), `lens_key`;
- the note editor: `editor_fields` to show and parse, then, inside the one note service,
  `note_state` before and after and `save_note_fields`; undo uses `fields_from_state`;
- files and PDFs: `file_sections` (canvas file, CSV, Markdown), `legend` and `pack_pages`;
- comments: `comment_targets`, the objects of this app a thread can be about;
- `demo` for the demo canvas.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Block, Canvas, Note

_extensions: list[CanvasExtension] = []


@dataclass(frozen=True)
class Badge:
    """A small mark (a coloured dot with a name) on a note card, a legend or a PDF."""

    css_class: str
    label: str


@dataclass
class EditorField:
    """An extra part of the note editor: `template` renders it with `field` in its context."""

    name: str
    template: str
    data: dict[str, Any] = field(default_factory=dict)
    value: Any = None
    error: str = ""


@dataclass(frozen=True)
class PackPage:
    """A page of the PDF pack: `template` renders it with `pack` (the context) in the PDF."""

    template: str
    context: dict[str, Any]


@dataclass(frozen=True)
class PackChoice:
    """Something the export page offers as pages of the pack (a query value and a label)."""

    value: str
    label: str
    badge: Badge | None = None


@dataclass(frozen=True)
class CommentTarget:
    """Something of an app that carries a comment thread (`kind` is its slug in URLs and
    files). `find(canvas, id)` returns the object of that canvas that `canvas.viewer` may
    read, or None: every permission check of a thread on it starts there. `label` says what
    it is in words ("the segment “Students”"); `event` is the live event its page hears and
    `block` the block whose cards show it ("" if none). `in_block`: the block the activity's
    filter finds its comments under; `badge`: the template of its card's comment count (sent
    out of band after a write, with `obj` in its context); `place(canvas_id, id)`: the page
    that opens its thread in place (the inbox's links; None: the canvas page)."""

    kind: str
    find: Callable[[Canvas, int], Any]
    label: Callable[[Any], str]
    event: str
    block: Callable[[Any], str] = lambda obj: ""
    in_block: str = ""
    badge: str = ""
    place: Callable[[int, int], str] | None = None


class CanvasExtension:
    """What an app adds to canvases. Hooks receive canvases' own objects and return plain
    values; none of them writes outside the service that calls it."""

    # Templates included in named places of the canvas page, rendered with the page context:
    # "tools" above the board, "block:<kind>" at the top of a block; and the ones (each rooted
    # in an element with an id) the page's refresh sends out of band (`oob`): "refresh_all"
    # when it refreshes everything, "refresh_notes" also when only some note lists changed.
    panels: dict[str, list[str]] = {}
    # The live event each of this app's change verbs sends ("segment.added" -> its first word).
    live_events: dict[str, str] = {}
    file_sections: list[FileSection] = []
    comment_targets: list[CommentTarget] = []
    pack_param: str = ""  # the query parameter that chooses pack pages (e.g. "segments")
    pack_title: str = ""  # what the export page calls the choice
    legend_title: str = ""  # what the PDF poster's legend of `legend()` is about

    def board_state(self, canvas: Canvas, *, lens: str | None = None) -> Any:
        """What this app loads once for a page or fragment of the canvas."""
        return None

    def decorate_notes(self, notes: list[Note], state: Any) -> None:
        """Give notes `badges` (list of Badge), `lens_refs` (str) and `dimmed` (bool)."""

    def page_context(self, canvas: Canvas, blocks: list[Block], state: Any) -> dict:
        """Context the panels need on the page and in its refresh."""
        return {}

    def lens_key(self, state: Any) -> str:
        """The lens the page opens with (notes whose `lens_refs` lack it are dimmed)."""
        return ""

    def editor_fields(self, canvas: Canvas, note: Note, *, data=None) -> list[EditorField]:
        """Fields of the note editor; with `data` (a POST), parsed: `value` or `error`."""
        return []

    def note_state(self, note: Note, *, proposed: dict) -> dict:
        """What history keeps of this app's part of a note (JSON), as it is, or as it would be
        once the `proposed` values of this app's editor fields were saved."""
        return {}

    def save_note_fields(self, note: Note, values: dict[str, Any]) -> None:
        """Store the parsed values of `editor_fields` (inside the note service's transaction)."""

    def fields_from_state(self, note: Note, state: dict) -> dict:
        """The editor values that would put back what `note_state` kept (undo)."""
        return {}

    def legend(self, canvas: Canvas, state: Any) -> list[Badge]:
        """What the PDF poster's legend explains."""
        return []

    def pack_choices(self, canvas: Canvas) -> list[PackChoice]:
        return []

    def pack_pages(self, canvas: Canvas, chosen: list[str]) -> list[PackPage]:
        """Pages for the chosen values; ValueError names a value that is not a choice."""
        return []

    def demo(self, canvas: Canvas, author) -> None:
        """Fill the demo canvas with this app's examples."""


class FileSection:
    """A top-level list of the canvas file (`key`), with what each note says about it
    (`note_field`). Its models validate strictly; `check` raises the file's ImportError_."""

    key: str = ""
    note_field: str = ""
    item_model: type = object  # a pydantic model of one item
    note_field_type: tuple = ()  # (annotation, pydantic FieldInfo) of the notes' field
    csv_column: str = ""

    def export(self, canvas: Canvas, note_refs: dict[int, str]) -> tuple[list[dict], dict]:
        """The section's items and, per note id, the value of the notes' field."""
        return [], {}

    def check(self, document) -> None:
        """Refuse references that do not resolve (the file's notes are in `document.notes`)."""

    def import_items(self, canvas: Canvas, document, notes: dict[str, Note], actor) -> None:
        """Create the section's objects in a new canvas whose notes are `notes` (by ref), with
        the app's services (the import folds what they record into its one change)."""

    def problem(self, error: dict) -> str | None:
        """A readable message for a pydantic error inside this section, if it has one."""
        return None

    def note_value_in_words(self, value, items: list[dict]) -> str:
        """The notes' field as a person reads it (CSV cell, Markdown tags)."""
        return ""

    def markdown(self, items: list[dict], escape) -> list[str]:
        """The section as lines of the Markdown outline (`escape` makes user text literal)."""
        return []


@dataclass
class Extras:
    """What each registered extension loaded for one page or fragment of a canvas."""

    states: list[tuple[CanvasExtension, Any]] = field(default_factory=list)

    @classmethod
    def load(cls, canvas: Canvas, *, lens: str | None = None) -> Extras:
        return cls([(ext, ext.board_state(canvas, lens=lens)) for ext in extensions()])

    def decorate(self, notes: list[Note]) -> None:
        for note in notes:
            note.badges, note.lens_refs, note.dimmed = [], "", False
        for extension, state in self.states:
            extension.decorate_notes(notes, state)

    def legend(self, canvas: Canvas) -> list[tuple[str, list[Badge]]]:
        """The PDF poster's legends: (title, badges) of each extension that has one."""
        return [
            (extension.legend_title, badges)
            for extension, state in self.states
            if (badges := extension.legend(canvas, state))
        ]

    def context(self, canvas: Canvas, blocks: list[Block]) -> dict:
        context: dict[str, Any] = {"lens": ""}
        for extension, state in self.states:
            context.update(extension.page_context(canvas, blocks, state))
            context["lens"] = context["lens"] or extension.lens_key(state)
        return context


def register(extension: CanvasExtension) -> None:
    if not any(type(known) is type(extension) for known in _extensions):
        _extensions.append(extension)


def extensions() -> list[CanvasExtension]:
    return list(_extensions)


def comment_targets() -> dict[str, CommentTarget]:
    return {target.kind: target for ext in _extensions for target in ext.comment_targets}


def file_sections() -> list[FileSection]:
    return [section for extension in _extensions for section in extension.file_sections]
