"""The inbox: mentions newest first, with where each comment is and a link to it in place;
mark one read (opening it does too) or all of them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from canvas_site.htmx import HtmxHttpRequest, is_partial, see_other
from canvases.comments.access import comment_url, mentions_of

from . import services

PAGE_SIZE = 30
INBOX = "canvases/inbox/inbox.html"


def inbox_context(request: HtmxHttpRequest) -> dict:
    mentions = mentions_of(request.user).select_related(
        "comment__author",
        "comment__guest",
        "comment__thread__canvas",
        "comment__thread__note__block",
    )
    page = Paginator(mentions.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return {"page": page, "mentions": page.object_list}


@require_safe
@login_required
@vary_on_headers("HX-Request")
def inbox(request: HtmxHttpRequest) -> HttpResponse:
    template = f"{INBOX}#inbox-list" if is_partial(request) else INBOX
    return render(request, template, inbox_context(request))


@require_POST
@login_required
def mention_read(request: HtmxHttpRequest, mention_id: int) -> HttpResponse:
    """Mark one mention read; with `open`, go on to the comment in place."""
    mention = get_object_or_404(
        mentions_of(request.user).select_related("comment__thread"), pk=mention_id
    )
    services.mark_read(mentions=mentions_of(request.user).filter(pk=mention.pk))
    if "open" in request.POST:
        return see_other(comment_url(mention.comment))
    return answer(request)


@require_POST
@login_required
def inbox_read_all(request: HtmxHttpRequest) -> HttpResponse:
    services.mark_read(mentions=mentions_of(request.user))
    return answer(request)


def answer(request: HtmxHttpRequest) -> HttpResponse:
    if not is_partial(request):
        return see_other(reverse("canvases:inbox"))
    # The header's unread count changes too: it comes out of band.
    return render(request, f"{INBOX}#inbox-list", {**inbox_context(request), "inbox_oob": True})
