"""Workshops: start, join, the bar, controls, votes, the summary.

The names live in the "canvases" namespace (canvases/urls.py gathers every feature's).
"""

from django.urls import path

from . import views

workshop = "workshops/<int:workshop_id>/"
urlpatterns = [
    path("canvases/<int:canvas_id>/workshops/", views.workshop_start, name="workshop-start"),
    path("canvases/<int:canvas_id>/workshop/", views.workshop_bar, name="workshop-bar"),
    path("canvases/<int:canvas_id>/workshops/list/", views.workshop_list, name="workshop-list"),
    path(workshop + "control/", views.workshop_control, name="workshop-control"),
    path(
        workshop + "notes/<int:note_id>/vote/<slug:direction>/",
        views.note_vote,
        name="note-vote",
    ),
    path(workshop + "summary/", views.workshop_summary, name="workshop-summary"),
    path(workshop + "summary.pdf", views.workshop_summary_pdf, name="workshop-summary-pdf"),
    path("w/<str:token>/", views.workshop_join, name="workshop-join"),
    path("join/", views.workshop_join_code, name="workshop-join-code"),
]
