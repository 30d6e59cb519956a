"""Canvas views: a team's list, the canvas page and its refresh, rename, duplicate, trash.
Each the same shape: parse, authorize, validate, act through a service, respond."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from canvas_site.htmx import HtmxHttpRequest, after_write, is_partial, see_other

from . import services
from .access import canvas_for, trashed_canvas_for
from .exports import canvas_file
from .forms import CanvasForm
from .models import Canvas, Note, Role
from .page import DETAIL, canvas_url, load_board, page_context, render_page
from .sharing.links import readable_through_share
from .teams.access import membership_for
from .teams.session import remember_team
from .workshops.guests import member_or_guest

# Canvases


@require_safe
@login_required
@vary_on_headers("HX-Request")
def canvas_list(request: HtmxHttpRequest, team_id: int) -> HttpResponse:
    membership = membership_for(request.user, team_id)
    remember_team(request, membership.team_id)
    query = request.GET.get("q", "").strip()
    canvases = (
        Canvas.objects.viewable_by(request.user)
        .filter(team=membership.team)
        .select_related("updated_by")
        .annotate(note_count=Count("blocks__notes", filter=Q(blocks__notes__deleted_at=None)))
    )
    if query:
        canvases = canvases.filter(title__icontains=query)
    context = {
        "team": membership.team,
        "membership": membership,
        "canvases": canvases,
        "query": query,
        "form": CanvasForm(),
    }
    template = "canvases/canvas_list.html"
    if is_partial(request) and request.htmx.target == "canvas-results":
        template += "#canvas-results"
    return render(request, template, context)


@require_POST
@login_required
def canvas_create(request: HtmxHttpRequest, team_id: int) -> HttpResponse:
    membership = membership_for(request.user, team_id, at_least=Role.EDITOR)
    form = CanvasForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "canvases/canvas_list.html#canvas-create-form",
            {"team": membership.team, "membership": membership, "form": form},
            status=422,
        )
    canvas = services.create_canvas(
        team=membership.team,
        title=form.cleaned_data["title"],
        description=form.cleaned_data["description"],
        author=request.user,
    )
    return after_write(request, canvas_url(canvas))


@require_safe
@readable_through_share(member_or_guest)
def canvas_detail(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    canvas = load_board(request, canvas_id)
    if request.user.is_authenticated:
        remember_team(request, canvas.team_id)
    return render_page(request, canvas)


@require_safe
@readable_through_share(member_or_guest)
def canvas_board(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    """Note lists and every panel, out of band: the page's refresh after a live event."""
    canvas = load_board(request, canvas_id)
    if not is_partial(request):
        return redirect(canvas_url(canvas))
    context = page_context(canvas, request, lists_oob=True)
    wanted = set(request.GET.get("blocks", "").split(",")) - {""}
    # Only the note lists that changed (a live update names them), or all of them.
    context["changed_blocks"] = [b for b in context["blocks"] if not wanted or b.kind in wanted]
    context["everything"] = not wanted
    response = render(request, f"{DETAIL}#board-refresh", context)
    response["X-Canvas-Revision"] = str(canvas.revision)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@vary_on_headers("HX-Request")
def canvas_edit(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    canvas = canvas_for(request.user, canvas_id, at_least=Role.EDITOR)
    form = CanvasForm(request.POST or None, instance=canvas)
    template = "canvases/canvas_edit.html"
    partial = f"{DETAIL}#canvas-header-form"
    if request.method != "POST":
        return render(
            request, partial if is_partial(request) else template, {"canvas": canvas, "form": form}
        )
    if not form.is_valid():
        canvas.refresh_from_db(fields=["title", "description"])
        chosen = partial if is_partial(request) else template
        return render(request, chosen, {"canvas": canvas, "form": form}, status=422)
    services.update_canvas(canvas=canvas, actor=request.user, **form.cleaned_data)
    if is_partial(request):
        response = render(request, f"{DETAIL}#canvas-header", {"canvas": canvas})
        # The settings (a focus count, a currency) may change what the panels show.
        trigger_client_event(response, "boardChanged")
        return response
    return see_other(canvas_url(canvas))


@require_safe
@login_required
def canvas_header(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    """The canvas title bar: where Esc in the rename form goes back to."""
    canvas = canvas_for(request.user, canvas_id)
    if not is_partial(request):
        return redirect(canvas_url(canvas))
    return render(request, f"{DETAIL}#canvas-header", {"canvas": canvas})


@require_POST
@login_required
def canvas_duplicate(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    canvas = canvas_for(request.user, canvas_id, at_least=Role.EDITOR)
    copy = canvas_file.duplicate_canvas(canvas=canvas, actor=request.user)
    messages.success(request, f"“{canvas.title}” was duplicated. You are looking at the copy.")
    return after_write(request, canvas_url(copy))


@require_POST
@login_required
def canvas_delete(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    canvas = canvas_for(request.user, canvas_id, at_least=Role.OWNER)
    services.trash_canvas(canvas=canvas, actor=request.user)
    messages.success(
        request, f"“{canvas.title}” is in the trash. Restore it from there within 30 days."
    )
    list_url = reverse("canvases:canvas-list", kwargs={"team_id": canvas.team_id})
    return after_write(request, list_url)


@require_POST
@login_required
def canvas_restore(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    canvas = trashed_canvas_for(request.user, canvas_id)
    services.restore_canvas(canvas=canvas, actor=request.user)
    messages.success(request, f"“{canvas.title}” is back.")
    return after_write(request, canvas_url(canvas))


@require_safe
@login_required
def team_trash(request: HtmxHttpRequest, team_id: int) -> HttpResponse:
    membership = membership_for(request.user, team_id, at_least=Role.OWNER)
    canvases = (
        Canvas.objects.of_member(request.user)
        .in_trash()
        .filter(team=membership.team)
        .select_related("deleted_by")
        .order_by("-deleted_at")
    )
    context = {"team": membership.team, "membership": membership, "canvases": canvases}
    return render(request, "canvases/team_trash.html", context)


@require_safe
@login_required
def canvas_trash(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    canvas = canvas_for(request.user, canvas_id)
    notes = (
        Note.objects.of_canvas(canvas)
        .readable_by(canvas.viewer)
        .in_trash()
        .with_comment_counts()
        .select_related("block", "deleted_by")
        .order_by("-deleted_at")
    )
    return render(request, "canvases/canvas_trash.html", {"canvas": canvas, "notes": notes})
