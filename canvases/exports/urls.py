"""Exports of a canvas and imports of canvas files.

The names live in the "canvases" namespace (canvases/urls.py gathers every feature's).
"""

from django.urls import path

from . import views

urlpatterns = [
    path("canvases/import/", views.import_canvas, name="canvas-import"),
    path("canvases/<int:canvas_id>/export/", views.export_page, name="canvas-export"),
    path("canvases/<int:canvas_id>/export/canvas.pdf", views.export_pdf, name="export-pdf"),
    path("canvases/<int:canvas_id>/export/canvas.json", views.export_json, name="export-json"),
    path("canvases/<int:canvas_id>/export/notes.csv", views.export_csv, name="export-csv"),
    path(
        "canvases/<int:canvas_id>/export/outline.md",
        views.export_markdown,
        name="export-markdown",
    ),
]
