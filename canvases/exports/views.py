"""Export a canvas (PDF poster and pack, JSON, CSV, Markdown) and import one from JSON."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_safe

from canvas_site import pdf
from canvas_site.htmx import HtmxHttpRequest, after_write
from canvases import registry
from canvases.access import canvas_for
from canvases.models import Canvas, Membership, Role
from canvases.sharing.links import readable_through_share

from . import canvas_file, poster
from .appendix import comments_appendix
from .notes_csv import notes_csv
from .outline import outline_markdown

PAGE = "canvases/exports/export.html"


def filename(canvas: Canvas, extension: str) -> str:
    return f"{slugify(canvas.title) or 'canvas'}.{extension}"


def download(content, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def page_context(canvas: Canvas, **extra) -> dict:
    """The export page: what each extension offers as pages of the PDF pack."""
    packs = [
        (extension.pack_param, extension.pack_title, choices)
        for extension in registry.extensions()
        if extension.pack_param and (choices := extension.pack_choices(canvas))
    ]
    return {"canvas": canvas, "packs": packs, **extra}


@require_safe
@login_required
def export_page(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    canvas = canvas_for(request.user, canvas_id)
    return render(request, PAGE, page_context(canvas))


def refuse(request, canvas, message: str, status: int = 422) -> HttpResponse:
    return render(request, PAGE, page_context(canvas, error=message), status=status)


@require_safe
@readable_through_share(login_required)
def export_pdf(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    """The poster, plus the pages chosen for a pack (e.g. `segments=3&segments=5`), and the
    comments appendix last when asked (`comments=1`)."""
    canvas = canvas_for(request.user, canvas_id, share=request.share)
    size = request.GET.get("size", "a4")
    if size not in poster.PAGE_SIZES:
        return refuse(request, canvas, "Pick a page size: A4 or A3.")
    with_comments = request.GET.get("comments", "")
    if with_comments not in ("", "1"):
        return refuse(request, canvas, "Include comments or not: “comments” is 1 or absent.")
    if with_comments and canvas.share:
        # Comments are the team's conversation: a share link shows the canvas, not them.
        return refuse(request, canvas, "A share link's PDF has no comments.", status=403)
    try:
        pdf.render_slots().refuse_when_full()
    except pdf.RenderersBusy as error:
        return busy_export_page(request, canvas, error)
    try:
        pages = [
            page
            for extension in registry.extensions()
            if extension.pack_param
            for page in extension.pack_pages(canvas, request.GET.getlist(extension.pack_param))
        ]
    except ValueError as error:
        return refuse(request, canvas, str(error))
    if with_comments:
        pages.append(comments_appendix(canvas))
    html = poster.poster_html(poster.poster_context(canvas, size, pages))
    try:
        rendered = pdf.render_with_limit(html)
    except pdf.RenderError as error:
        return busy_export_page(request, canvas, error)
    kind = "pack" if pages else "poster"
    return download(rendered.pdf, "application/pdf", filename(canvas, f"{kind}-{size}.pdf"))


def busy_export_page(request, canvas: Canvas, error: pdf.RenderError) -> HttpResponse:
    """503: the export page again, saying why and when to try again."""
    response = refuse(request, canvas, str(error), status=503)
    response["Retry-After"] = str(error.retry_after)
    return response


@require_safe
@login_required
def export_json(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    canvas = canvas_for(request.user, canvas_id)
    body = json.dumps(canvas_file.export_canvas(canvas), ensure_ascii=False, indent=2)
    return download(body, "application/json", filename(canvas, "json"))


@require_safe
@login_required
def export_csv(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    canvas = canvas_for(request.user, canvas_id)
    return download(notes_csv(canvas), "text/csv; charset=utf-8", filename(canvas, "csv"))


@require_safe
@login_required
def export_markdown(request: HtmxHttpRequest, canvas_id: int) -> HttpResponse:
    canvas = canvas_for(request.user, canvas_id)
    return download(
        outline_markdown(canvas), "text/markdown; charset=utf-8", filename(canvas, "md")
    )


class ImportForm(forms.Form):
    team = forms.TypedChoiceField(
        coerce=int, error_messages={"invalid_choice": "Pick one of your teams."}
    )
    file = forms.FileField(error_messages={"required": "Choose a canvas file (.json) to import."})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        editable = Membership.objects.filter(user=user, role__in=[Role.OWNER, Role.EDITOR])
        self.fields["team"].choices = [
            (m.team_id, m.team.name) for m in editable.select_related("team").order_by("team__name")
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > canvas_file.MAX_FILE_BYTES:
            raise forms.ValidationError("The file is larger than 5 MB: that is not a canvas file.")
        try:
            # Decodes (a BOM is fine), caps the nesting depth before parsing, then validates.
            return canvas_file.read(upload.read())
        except canvas_file.ImportError_ as error:
            raise forms.ValidationError(str(error)) from None


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def import_canvas(request: HtmxHttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        team_id = form.cleaned_data["team"]
        membership = Membership.objects.select_related("team").get(
            user=request.user, team_id=team_id
        )
        canvas = canvas_file.import_canvas(
            form.cleaned_data["file"], team=membership.team, actor=request.user
        )
        messages.success(request, f"“{canvas.title}” was imported into {membership.team.name}.")
        return after_write(request, canvas.get_absolute_url())
    status = 422 if request.method == "POST" else 200
    return render(request, "canvases/exports/import.html", {"form": form}, status=status)
