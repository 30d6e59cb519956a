"""The canvases namespace: canvases and notes here, each feature's routes from its package."""

from django.urls import path

from . import views
from .exports import urls as exports
from .history import urls as history
from .live import urls as live
from .teams import urls as teams
from .workshops import urls as workshops

app_name = "canvases"
urlpatterns = [
    path("teams/<int:team_id>/canvases/", views.canvas_list, name="canvas-list"),
    path("teams/<int:team_id>/canvases/new/", views.canvas_create, name="canvas-create"),
    path("teams/<int:team_id>/trash/", views.team_trash, name="team-trash"),
    path("canvases/<int:canvas_id>/", views.canvas_detail, name="canvas-detail"),
    path("canvases/<int:canvas_id>/header/", views.canvas_header, name="canvas-header"),
    path("canvases/<int:canvas_id>/board/", views.canvas_board, name="canvas-board"),
    path("canvases/<int:canvas_id>/checks/", views.canvas_checks, name="canvas-checks"),
    path("canvases/<int:canvas_id>/edit/", views.canvas_edit, name="canvas-edit"),
    path("canvases/<int:canvas_id>/duplicate/", views.canvas_duplicate, name="canvas-duplicate"),
    path("canvases/<int:canvas_id>/delete/", views.canvas_delete, name="canvas-delete"),
    path("canvases/<int:canvas_id>/restore/", views.canvas_restore, name="canvas-restore"),
    path("canvases/<int:canvas_id>/trash/", views.canvas_trash, name="canvas-trash"),
    path(
        "canvases/<int:canvas_id>/blocks/<slug:block_kind>/notes/",
        views.note_create,
        name="note-create",
    ),
    path("canvases/<int:canvas_id>/notes/<int:note_id>/", views.note_detail, name="note-detail"),
    path("canvases/<int:canvas_id>/notes/<int:note_id>/edit/", views.note_edit, name="note-edit"),
    path(
        "canvases/<int:canvas_id>/notes/<int:note_id>/colour/",
        views.note_colour,
        name="note-colour",
    ),
    path("canvases/<int:canvas_id>/notes/<int:note_id>/move/", views.note_move, name="note-move"),
    path(
        "canvases/<int:canvas_id>/notes/<int:note_id>/delete/",
        views.note_delete,
        name="note-delete",
    ),
    path(
        "canvases/<int:canvas_id>/notes/<int:note_id>/restore/",
        views.note_restore,
        name="note-restore",
    ),
    *teams.urlpatterns,
    *history.urlpatterns,
    *live.urlpatterns,
    *workshops.urlpatterns,
    *exports.urlpatterns,
]
