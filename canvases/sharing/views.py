"""Share links: the owner's page (list, create, revoke) and the link itself, which lets its
holder in to read the canvas (see links.py for what a holder may open)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from canvas_site.htmx import HtmxHttpRequest, after_write
from canvases.access import canvas_for
from canvases.models import Canvas, Role

from . import services
from .access import share_link_of
from .forms import ShareLinkForm
from .links import closed_page, link_by_token, remember

PAGE = "canvases/sharing/share_list.html"
NEW_LINK_KEY = "new_share_link"  # the link just made, shown once on the next page


def share_page_url(canvas: Canvas) -> str:
    return reverse("canvases:share-list", kwargs={"canvas_id": canvas.pk})


def page_context(request: HtmxHttpRequest, canvas: Canvas, **extra) -> dict:
    links = canvas.share_links.select_related("created_by")
    return {
        "canvas": canvas,
        "links": links,
        "form": extra.pop("form", None) or ShareLinkForm(),
        # The only time the link can be shown: the database keeps a hash of its token.
        "new_link": request.session.pop(NEW_LINK_KEY, None),
        **extra,
    }


@require_safe
@login_required
def share_list(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    canvas = canvas_for(request.user, canvas_id, at_least=Role.OWNER)
    return render(request, PAGE, page_context(request, canvas))


@require_POST
@login_required
def share_create(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    canvas = canvas_for(request.user, canvas_id, at_least=Role.OWNER)
    form = ShareLinkForm(request.POST)
    if not form.is_valid():
        return render(request, PAGE, page_context(request, canvas, form=form), status=422)
    made = services.create_share_link(
        canvas=canvas,
        label=form.cleaned_data["label"],
        expires_at=form.expires_at,
        show_member_names=form.cleaned_data["show_member_names"],
        actor=request.user,
    )
    url = request.build_absolute_uri(reverse("canvases:share-open", args=[made.token]))
    request.session[NEW_LINK_KEY] = {"id": made.link.pk, "url": url}
    return after_write(request, share_page_url(canvas) + "#new-link")


@require_POST
@login_required
def share_revoke(request: HtmxHttpRequest, canvas_id: int, link_id: int) -> HttpResponse:
    canvas = canvas_for(request.user, canvas_id, at_least=Role.OWNER)
    link = share_link_of(canvas, link_id)
    if services.revoke_share_link(link=link, actor=request.user):
        messages.success(request, "The link no longer works: whoever opens it now is told so.")
    return after_write(request, share_page_url(canvas) + f"#share-{link.pk}")


@require_safe
def share_open(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The link itself: remembers it in the browser's session and opens the canvas."""
    link = link_by_token(token)
    if link is None:
        return closed_page(request, status=404)
    if not link.is_usable or link.canvas.deleted_at is not None:
        return closed_page(request)
    canvas = link.canvas
    if not Canvas.objects.viewable_by(request.user).filter(pk=canvas.pk).exists():
        remember(request, link)  # a member reads it as a member, without the link
        services.note_use(link)
    return redirect(canvas.get_absolute_url())
