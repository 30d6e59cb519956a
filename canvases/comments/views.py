"""Comment threads: read one, add, edit and delete one's own comments, resolve and reopen;
the team's usernames for @-completion. Each view: parse, authorize, validate, act, respond."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from canvas_site.htmx import HtmxHttpRequest, is_partial, see_other
from canvases.access import canvas_for, refuse_if_locked
from canvases.models import Canvas, Role, Thread
from canvases.workshops.guests import member_or_guest

from . import services
from .access import (
    Target,
    comment_of,
    may_resolve,
    own_comment_or_refuse,
    resolve_or_refuse,
    target_of,
    thread_of,
)
from .forms import CommentForm

THREAD = "canvases/comments/thread.html"


def commenting_canvas(request: HtmxHttpRequest, canvas_id: int, *, write: bool) -> Canvas:
    """Viewers comment (reviewers do), and a running workshop's guests; nobody while the
    facilitator has locked the canvas."""
    canvas = canvas_for(request.user, canvas_id, guest=request.guest)
    if write:
        refuse_if_locked(canvas, request.user)
    return canvas


def thread_context(canvas: Canvas, target: Target, **extra) -> dict:
    thread = thread_of(canvas, target)
    comments = list(thread.comments.select_related("author", "guest")) if thread else []
    for comment in comments:
        comment.mine = canvas.viewer.is_author(
            author_id=comment.author_id, guest_id=comment.guest_id
        )
    guest = getattr(canvas, "guest", None)
    # What the card's badge says, sent with a change (a note's, or an extension's `badge`).
    target.obj.comment_count = len(comments)
    target.obj.thread_resolved_at = thread.resolved_at if thread else None
    return {
        "canvas": canvas,
        "canvas_url": canvas.get_absolute_url(),
        "target": target,
        "thread": thread,
        "comments": comments,
        "may_resolve": may_resolve(canvas, thread),
        # Guests get no list of the team's usernames (the completion is for members).
        "completes_mentions": guest is None,
        "form": CommentForm(),
        "editing_id": None,
        **extra,
    }


def respond(request: HtmxHttpRequest, canvas: Canvas, target: Target, *, status=200, **extra):
    """The thread panel for htmx (with the card's badge out of band), the thread page else."""
    context = thread_context(canvas, target, **extra)
    context["count"] = len(context["comments"])
    template = f"{THREAD}#thread-panel" if is_partial(request) else THREAD
    return render(request, template, context, status=status)


def written(request: HtmxHttpRequest, canvas: Canvas, target: Target) -> HttpResponse:
    if not is_partial(request):
        return see_other(target_url(canvas, target))
    response = respond(request, canvas, target, oob_badge=True)
    response["X-Canvas-Revision"] = str(canvas.revision)
    return trigger_client_event(response, "canvasChanged")


def target_url(canvas: Canvas, target: Target) -> str:
    return Thread(canvas=canvas, target_kind=target.kind, target_id=target.id).get_absolute_url()


@require_safe
@member_or_guest
@vary_on_headers("HX-Request")
def thread_detail(
    request: HtmxHttpRequest, canvas_id: int, target_kind: str, target_id: int
) -> HttpResponse:
    canvas = commenting_canvas(request, canvas_id, write=False)
    return respond(request, canvas, target_of(canvas, target_kind, target_id))


@require_POST
@member_or_guest
def comment_create(
    request: HtmxHttpRequest, canvas_id: int, target_kind: str, target_id: int
) -> HttpResponse:
    canvas = commenting_canvas(request, canvas_id, write=True)
    target = target_of(canvas, target_kind, target_id)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return respond(request, canvas, target, status=422, form=form)
    author = request.user if request.user.is_authenticated else None
    services.add_comment(
        canvas=canvas, target=target, text=form.cleaned_data["text"], author=author,
        guest=request.guest,
    )  # fmt: skip
    return written(request, canvas, target)


def own_comment(request: HtmxHttpRequest, canvas_id: int, comment_id: int, *, write: bool):
    canvas = commenting_canvas(request, canvas_id, write=write)
    comment, target = comment_of(canvas, comment_id)
    own_comment_or_refuse(canvas, comment)
    return canvas, comment, target


@require_http_methods(["GET", "HEAD", "POST"])
@member_or_guest
@vary_on_headers("HX-Request")
def comment_edit(request: HtmxHttpRequest, canvas_id: int, comment_id: int) -> HttpResponse:
    post = request.method == "POST"
    canvas, comment, target = own_comment(request, canvas_id, comment_id, write=post)
    if not post:
        form = CommentForm(initial={"text": comment.text})
        return respond(request, canvas, target, editing_id=comment.pk, edit_form=form)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return respond(request, canvas, target, status=422, editing_id=comment.pk, edit_form=form)
    services.edit_comment(
        canvas=canvas, target=target, comment=comment, text=form.cleaned_data["text"],
        actor=acting_user(request),
    )  # fmt: skip
    return written(request, canvas, target)


@require_POST
@member_or_guest
def comment_delete(request: HtmxHttpRequest, canvas_id: int, comment_id: int) -> HttpResponse:
    canvas, comment, target = own_comment(request, canvas_id, comment_id, write=True)
    services.delete_comment(
        canvas=canvas, target=target, comment=comment, actor=acting_user(request)
    )
    return written(request, canvas, target)


@require_POST
@member_or_guest
def thread_resolve(
    request: HtmxHttpRequest, canvas_id: int, target_kind: str, target_id: int
) -> HttpResponse:
    return thread_state(request, canvas_id, target_kind, target_id, services.resolve_thread)


@require_POST
@member_or_guest
def thread_reopen(
    request: HtmxHttpRequest, canvas_id: int, target_kind: str, target_id: int
) -> HttpResponse:
    return thread_state(request, canvas_id, target_kind, target_id, services.reopen_thread)


def thread_state(
    request: HtmxHttpRequest, canvas_id: int, target_kind: str, target_id: int, change
) -> HttpResponse:
    """Resolve or reopen (`change`, a service) a thread, for whoever may."""
    canvas = commenting_canvas(request, canvas_id, write=True)
    target = target_of(canvas, target_kind, target_id)
    thread = resolve_or_refuse(canvas, thread_of(canvas, target))
    change(canvas=canvas, target=target, thread=thread, actor=acting_user(request))
    return written(request, canvas, target)


def acting_user(request: HtmxHttpRequest):
    return request.user if request.user.is_authenticated else None


@require_safe
@login_required
def mention_candidates(request: HtmxHttpRequest, canvas_id: int) -> JsonResponse:
    """The canvas team's usernames, for @-completion in the comment form (members only)."""
    canvas = canvas_for(request.user, canvas_id, at_least=Role.VIEWER)
    field = get_user_model().USERNAME_FIELD
    names = (
        get_user_model()
        .objects.filter(memberships__team_id=canvas.team_id)
        .order_by(field)
        .values_list(field, flat=True)
    )
    return JsonResponse({"usernames": list(names)})
