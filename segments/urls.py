from django.urls import path

from . import views
from .profiles import urls as profiles

app_name = "segments"
prefix = "canvases/<int:canvas_id>/segments/"
one = prefix + "<int:segment_id>/"
urlpatterns = [
    *profiles.urlpatterns,
    path(prefix + "new/", views.segment_create, name="segment-create"),
    path(prefix + "checks/", views.segment_checks, name="segment-checks"),
    path(one, views.segment_detail, name="segment-detail"),
    path(one + "refresh/", views.segment_refresh, name="segment-refresh"),
    path(one + "edit/", views.segment_edit, name="segment-edit"),
    path(one + "economics/", views.segment_economics, name="segment-economics"),
    path(one + "move/", views.segment_move, name="segment-move"),
    path(one + "delete/", views.segment_delete, name="segment-delete"),
    path(one + "criteria/", views.criterion_create, name="criterion-create"),
    path(
        one + "criteria/<int:criterion_id>/delete/",
        views.criterion_delete,
        name="criterion-delete",
    ),
    path(one + "snapshots/", views.snapshot_create, name="snapshot-create"),
    path(one + "snapshots/<int:snapshot_id>/edit/", views.snapshot_edit, name="snapshot-edit"),
    path(
        one + "snapshots/<int:snapshot_id>/delete/",
        views.snapshot_delete,
        name="snapshot-delete",
    ),
]
