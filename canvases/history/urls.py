"""A canvas's history: changes, undo, named versions, comparison.

The names live in the "canvases" namespace (canvases/urls.py gathers every feature's).
"""

from django.urls import path

from . import views

urlpatterns = [
    path("canvases/<int:canvas_id>/history/", views.history, name="canvas-history"),
    path("canvases/<int:canvas_id>/history/undo/", views.undo, name="change-undo"),
    path("canvases/<int:canvas_id>/versions/", views.version_create, name="version-create"),
    path(
        "canvases/<int:canvas_id>/versions/<int:version_id>/restore/",
        views.version_restore,
        name="version-restore",
    ),
    path(
        "canvases/<int:canvas_id>/versions/compare/",
        views.version_compare,
        name="version-compare",
    ),
]
