"""Workshops: start, join, the bar, controls, votes, the summary.

The names live in the "canvases" namespace (canvases/urls.py gathers every feature's).
"""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "canvases/<int:canvas_id>/workshops/",
        views.workshop_start,
        name="workshop-start",
    ),
    path("canvases/<int:canvas_id>/workshop/", views.workshop_bar, name="workshop-bar"),
    path(
        "workshops/<int:workshop_id>/control/<slug:action>/",
        views.workshop_control,
        name="workshop-control",
    ),
    path(
        "workshops/<int:workshop_id>/notes/<int:note_id>/vote/<slug:direction>/",
        views.note_vote,
        name="note-vote",
    ),
    path(
        "workshops/<int:workshop_id>/summary/",
        views.workshop_summary,
        name="workshop-summary",
    ),
    path(
        "workshops/<int:workshop_id>/summary.pdf",
        views.workshop_summary_pdf,
        name="workshop-summary-pdf",
    ),
    path("w/<str:token>/", views.workshop_join, name="workshop-join"),
    path("join/", views.workshop_join_code, name="workshop-join-code"),
]
