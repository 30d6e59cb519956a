"""The one permission helper every view calls: scoped lookups that answer 404 or 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from .models import (
    EVERYONE,
    Block,
    BlockKind,
    Canvas,
    Guest,
    Note,
    Role,
    ShareLink,
    Viewer,
    Workshop,
)


class CanvasLocked(Exception):
    """A facilitator locked the canvas: only they change it until they unlock it."""


class CanvasLockedMiddleware:
    """Answers 423 with the reason when a write meets a locked canvas."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, CanvasLocked):
            return HttpResponse(str(exception), status=423, content_type="text/plain")
        return None


def require_role(role: Role | str | None, at_least: Role) -> None:
    """A member whose role is too low gets 403 (a non-member never gets this far: 404)."""
    if role is None or not Role(role).at_least(at_least):
        raise PermissionDenied(f"This needs the {at_least.label.lower()} role.")


def canvas_for(
    user,
    canvas_id: int,
    *,
    at_least: Role = Role.VIEWER,
    board: bool = False,
    guest: Guest | None = None,
    guests_may: bool = False,
    share: ShareLink | None = None,
) -> Canvas:
    """A live canvas of one of the user's teams, annotated with the user's role and carrying
    its `viewer` (whose visibility rule every read of its notes applies).

    With `board`, the blocks and the notes this viewer may read come prefetched. A guest (no
    account) reaches only the canvas of their workshop: to read it, and, where `guests_may`,
    to write their own notes. Another canvas answers 404 to them. A `share` link (the views a
    holder may read pass it) opens its canvas to read, to whoever is neither a member nor its
    workshop's guest; anything more answers 404.
    """
    if (
        share is not None
        and share.canvas_id == canvas_id
        and not member_or_guest_of(user, guest, canvas_id)
    ):
        return shared_canvas(share, at_least=at_least, board=board)
    viewer = viewer_for(user, guest)
    base = Canvas.objects.with_board(viewer) if board else Canvas.objects.select_related("team")
    if user.is_authenticated:
        canvas = get_object_or_404(base.viewable_by(user), pk=canvas_id)
        require_role(canvas.my_role, at_least)
        canvas.guest = None
    else:
        if guest is None or guest.workshop.canvas_id != canvas_id:
            raise Http404("No such canvas.")
        if at_least != Role.VIEWER and not guests_may:
            raise PermissionDenied("Guests add, edit and delete their own notes only.")
        canvas = get_object_or_404(base.alive(), pk=canvas_id)
        canvas.my_role, canvas.guest = None, guest
    canvas.viewer = viewer
    if at_least != Role.VIEWER:
        refuse_if_locked(canvas, user)
    return canvas


def member_or_guest_of(user, guest: Guest | None, canvas_id: int) -> bool:
    if guest is not None and guest.workshop.canvas_id == canvas_id:
        return True
    return user.is_authenticated and Canvas.objects.viewable_by(user).filter(pk=canvas_id).exists()


def shared_canvas(share: ShareLink, *, at_least: Role, board: bool) -> Canvas:
    """The canvas of a share link, to read as nobody in particular (no hidden note, no role)."""
    if at_least != Role.VIEWER:
        raise Http404("No such page.")  # a holder learns nothing, not even that it is a write
    base = Canvas.objects.with_board(EVERYONE) if board else Canvas.objects.select_related("team")
    canvas = get_object_or_404(base.alive(), pk=share.canvas_id)
    canvas.my_role, canvas.guest, canvas.share, canvas.viewer = None, None, share, EVERYONE
    return canvas


def viewer_for(user, guest: Guest | None) -> Viewer:
    """The reader whose visibility rule applies: a member, a guest, or nobody in particular."""
    if user.is_authenticated:
        return Viewer(user_id=user.pk)
    return Viewer(guest_id=guest.pk) if guest is not None else Viewer()


def refuse_if_locked(canvas: Canvas, user) -> None:
    locked = Workshop.objects.running().filter(canvas_id=canvas.pk, locked=True).first()
    if locked is not None and locked.facilitator_id != getattr(user, "pk", None):
        raise CanvasLocked("The facilitator has locked the canvas for now.")


def own_note_or_refuse(canvas: Canvas, note: Note) -> None:
    """Guests touch only their own notes."""
    guest = getattr(canvas, "guest", None)
    if guest is not None and note.guest_id != guest.pk:
        raise PermissionDenied("Guests edit and delete only their own notes.")


def trashed_canvas_for(user, canvas_id: int, *, at_least: Role = Role.OWNER) -> Canvas:
    canvas = get_object_or_404(
        Canvas.objects.select_related("team").of_member(user).in_trash(), pk=canvas_id
    )
    require_role(canvas.my_role, at_least)
    return canvas


def block_of(canvas: Canvas, block_kind: str) -> Block:
    if block_kind not in BlockKind.values:
        raise Http404("No such building block.")
    return get_object_or_404(canvas.blocks, kind=block_kind)


def note_of(canvas: Canvas, note_id: int, *, trashed: bool | None = False) -> Note:
    """A note of the canvas: live (default), in the trash (True) or either (None). A note
    hidden from the canvas's viewer by private writing does not exist for them: 404."""
    notes = Note.objects.of_canvas(canvas).readable_by(canvas.viewer)
    notes = notes.select_related("block", "author")
    if trashed is not None:
        notes = notes.in_trash() if trashed else notes.alive()
    note = get_object_or_404(notes, pk=note_id)
    note.block.canvas = canvas  # saves a query: the block's canvas is the one we checked
    return note
