"""A canvas's history: every change, undo of one's own last change, named versions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from canvas_site.htmx import HtmxHttpRequest, after_write
from canvas_site.next_url import next_url
from canvases.access import canvas_for
from canvases.models import Role

from . import services
from .access import version_named_by, version_of
from .compare import compare_contents
from .forms import VersionForm

PAGE = "canvases/history/history.html"


def history_url(canvas_id: int) -> str:
    return reverse("canvases:canvas-history", args=[canvas_id])


HIDDEN_KEYS = {"id", "version", "position", "index"}


def readable(state: dict | None) -> list[tuple[str, str]]:
    """A history state as label/value pairs for people (internal bookkeeping left out)."""
    if not state:
        return []
    return [
        (key.replace("_", " "), "" if value is None else str(value))
        for key, value in state.items()
        if key not in HIDDEN_KEYS
    ]


def history_context(request, canvas, **extra) -> dict:
    changes = canvas.changes.seen_by(canvas.viewer).select_related("actor", "undone_by")
    page = Paginator(changes, 50).get_page(request.GET.get("page"))
    for change in page.object_list:
        change.shown_before, change.shown_after = [], []
        if not change.private:
            change.shown_before = readable(change.before)
            change.shown_after = readable(change.after)
    versions = list(canvas.versions.select_related("created_by"))
    return {
        "canvas": canvas,
        "page": page,
        "undoable": services.last_own_change(canvas, request.user) if canvas.can_edit else None,
        "versions": versions,
        "form": VersionForm(),
        **extra,
    }


@require_safe
@login_required
def history(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    canvas = canvas_for(request.user, canvas_id)
    return render(request, PAGE, history_context(request, canvas))


@require_POST
@login_required
def undo(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    canvas = canvas_for(request.user, canvas_id, at_least=Role.EDITOR)
    record = services.last_own_change(canvas, request.user)
    if record is None:
        return refuse(request, canvas, "You have no change here that can be undone.")
    try:
        services.undo_change(record=record, actor=request.user)
    except services.UndoError as error:
        return refuse(request, canvas, str(error))
    messages.success(request, f"Undone: {record.summary}.")
    return after_write(request, next_url(request, default=history_url(canvas.pk)))


def refuse(request, canvas, message: str) -> HttpResponse:
    """409: the history page again, with the reason on top."""
    return render(request, PAGE, history_context(request, canvas, error=message), status=409)


@require_POST
@login_required
def version_create(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    canvas = canvas_for(request.user, canvas_id, at_least=Role.EDITOR)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return render(request, PAGE, history_context(request, canvas, form=form), status=422)
    services.save_version(canvas=canvas, actor=request.user, **form.cleaned_data)
    messages.success(request, f"Version “{form.cleaned_data['name']}” saved.")
    return after_write(request, history_url(canvas.pk) + "#versions")


@require_POST
@login_required
def version_restore(request: HtmxHttpRequest, canvas_id: int, version_id: int) -> HttpResponse:
    """Restore in place (recorded as a change) or as a new canvas (`as=copy`)."""
    canvas = canvas_for(request.user, canvas_id, at_least=Role.EDITOR)
    version = version_of(canvas, version_id)
    if request.POST.get("as") == "copy":
        copy = services.copy_version(version=version, actor=request.user)
        messages.success(request, f"A new canvas starts from “{version.name}”.")
        return after_write(request, reverse("canvases:canvas-detail", args=[copy.pk]))
    services.restore_version(version=version, actor=request.user)
    messages.success(
        request, f"The canvas is back to “{version.name}”; undo by restoring another version."
    )
    return after_write(request, reverse("canvases:canvas-detail", args=[canvas.pk]))


@require_safe
@login_required
def version_compare(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    """Block by block: what changed from version A to version B (or to the canvas now)."""
    canvas = canvas_for(request.user, canvas_id)
    old, old_label = side(canvas, request.GET.get("a"))
    new, new_label = side(canvas, request.GET.get("b") or "current")
    if old is None or new is None:
        return render(
            request,
            PAGE,
            history_context(request, canvas, error="Pick two versions to compare."),
            status=422,
        )
    context = history_context(request, canvas)
    context.update(diffs=compare_contents(old, new), old_label=old_label, new_label=new_label)
    context.update(a=request.GET.get("a"), b=request.GET.get("b") or "current")
    return render(request, "canvases/history/compare.html", context)


def side(canvas, key: str | None) -> tuple[dict | None, str]:
    if key == "current":
        content = services.canvas_content(canvas)
        return services.readable_content(content, canvas, canvas.viewer), "the canvas now"
    version = version_named_by(canvas, key)
    if version is None:
        return None, ""
    return services.readable_content(version.content, canvas, canvas.viewer), f"“{version.name}”"
