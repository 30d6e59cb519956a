from django.urls import path

from . import export_views, history_views, live_views, team_views, views, workshop_views

app_name = "canvases"
urlpatterns = [
    path("teams/", team_views.team_list, name="team-list"),
    path("teams/new/", team_views.team_create, name="team-create"),
    path("teams/<int:team_id>/canvases/", views.canvas_list, name="canvas-list"),
    path("teams/<int:team_id>/canvases/new/", views.canvas_create, name="canvas-create"),
    path("teams/<int:team_id>/trash/", views.team_trash, name="team-trash"),
    path("teams/<int:team_id>/members/", team_views.team_members, name="team-members"),
    path(
        "teams/<int:team_id>/members/<int:membership_id>/role/",
        team_views.member_role,
        name="member-role",
    ),
    path(
        "teams/<int:team_id>/members/<int:membership_id>/remove/",
        team_views.member_remove,
        name="member-remove",
    ),
    path(
        "teams/<int:team_id>/invitations/",
        team_views.invitation_create,
        name="invitation-create",
    ),
    path(
        "teams/<int:team_id>/invitations/<int:invitation_id>/revoke/",
        team_views.invitation_revoke,
        name="invitation-revoke",
    ),
    path("join/<str:token>/", team_views.invitation_accept, name="invitation-accept"),
    path("canvases/<int:canvas_id>/", views.canvas_detail, name="canvas-detail"),
    path("canvases/<int:canvas_id>/header/", views.canvas_header, name="canvas-header"),
    path("canvases/<int:canvas_id>/board/", views.canvas_board, name="canvas-board"),
    path("canvases/<int:canvas_id>/checks/", views.canvas_checks, name="canvas-checks"),
    path("canvases/<int:canvas_id>/events/", live_views.canvas_events, name="canvas-events"),
    path("canvases/<int:canvas_id>/presence/", live_views.presence_bar, name="presence-bar"),
    path("canvases/<int:canvas_id>/presence/beat/", live_views.presence_beat, name="presence-beat"),
    path("canvases/import/", export_views.import_canvas, name="canvas-import"),
    path(
        "canvases/<int:canvas_id>/workshops/",
        workshop_views.workshop_start,
        name="workshop-start",
    ),
    path("canvases/<int:canvas_id>/workshop/", workshop_views.workshop_bar, name="workshop-bar"),
    path(
        "workshops/<int:workshop_id>/control/<slug:action>/",
        workshop_views.workshop_control,
        name="workshop-control",
    ),
    path(
        "workshops/<int:workshop_id>/notes/<int:note_id>/vote/<slug:direction>/",
        workshop_views.note_vote,
        name="note-vote",
    ),
    path(
        "workshops/<int:workshop_id>/summary/",
        workshop_views.workshop_summary,
        name="workshop-summary",
    ),
    path(
        "workshops/<int:workshop_id>/summary.pdf",
        workshop_views.workshop_summary_pdf,
        name="workshop-summary-pdf",
    ),
    path("w/<str:token>/", workshop_views.workshop_join, name="workshop-join"),
    path("join/", workshop_views.workshop_join_code, name="workshop-join-code"),
    path("canvases/<int:canvas_id>/export/", export_views.export_page, name="canvas-export"),
    path("canvases/<int:canvas_id>/export/canvas.pdf", export_views.export_pdf, name="export-pdf"),
    path(
        "canvases/<int:canvas_id>/export/canvas.json", export_views.export_json, name="export-json"
    ),
    path("canvases/<int:canvas_id>/export/notes.csv", export_views.export_csv, name="export-csv"),
    path(
        "canvases/<int:canvas_id>/export/outline.md",
        export_views.export_markdown,
        name="export-markdown",
    ),
    path("canvases/<int:canvas_id>/history/", history_views.history, name="canvas-history"),
    path("canvases/<int:canvas_id>/history/undo/", history_views.undo, name="change-undo"),
    path("canvases/<int:canvas_id>/versions/", history_views.version_create, name="version-create"),
    path(
        "canvases/<int:canvas_id>/versions/<int:version_id>/restore/",
        history_views.version_restore,
        name="version-restore",
    ),
    path(
        "canvases/<int:canvas_id>/versions/compare/",
        history_views.version_compare,
        name="version-compare",
    ),
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
]
