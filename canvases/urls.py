"""The canvases namespace: canvases and notes here, each feature's routes from its package."""

from django.urls import path

from . import note_views, views
from .activity import urls as activity
from .comments import urls as comments
from .exports import urls as exports
from .history import urls as history
from .inbox import urls as inbox
from .live import urls as live
from .sharing import urls as sharing
from .teams import urls as teams
from .workshops import urls as workshops

app_name = "canvases"
team = "teams/<int:team_id>/"
canvas = "canvases/<int:canvas_id>/"
note = canvas + "notes/<int:note_id>/"
urlpatterns = [
    path(team + "canvases/", views.canvas_list, name="canvas-list"),
    path(team + "canvases/new/", views.canvas_create, name="canvas-create"),
    path(team + "trash/", views.team_trash, name="team-trash"),
    path(canvas, views.canvas_detail, name="canvas-detail"),
    path(canvas + "header/", views.canvas_header, name="canvas-header"),
    path(canvas + "board/", views.canvas_board, name="canvas-board"),
    path(canvas + "edit/", views.canvas_edit, name="canvas-edit"),
    path(canvas + "duplicate/", views.canvas_duplicate, name="canvas-duplicate"),
    path(canvas + "delete/", views.canvas_delete, name="canvas-delete"),
    path(canvas + "restore/", views.canvas_restore, name="canvas-restore"),
    path(canvas + "trash/", views.canvas_trash, name="canvas-trash"),
    path(canvas + "blocks/<slug:block_kind>/notes/", note_views.note_create, name="note-create"),
    path(note, note_views.note_detail, name="note-detail"),
    path(note + "edit/", note_views.note_edit, name="note-edit"),
    path(note + "colour/", note_views.note_colour, name="note-colour"),
    path(note + "move/", note_views.note_move, name="note-move"),
    path(note + "delete/", note_views.note_delete, name="note-delete"),
    path(note + "restore/", note_views.note_restore, name="note-restore"),
    *teams.urlpatterns,
    *history.urlpatterns,
    *live.urlpatterns,
    *workshops.urlpatterns,
    *exports.urlpatterns,
    *sharing.urlpatterns,
    *comments.urlpatterns,
    *inbox.urlpatterns,
    *activity.urlpatterns,
]
