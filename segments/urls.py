from django.urls import path

from . import profile_views as profile
from . import views

app_name = "segments"
prefix = "canvases/<int:canvas_id>/segments/"
one = prefix + "<int:segment_id>/"
pro = one + "profile/"
urlpatterns = [
    path(pro, profile.profile_detail, name="profile-detail"),
    path(pro + "refresh/", profile.profile_refresh, name="profile-refresh"),
    path(pro + "lists/<slug:list_kind>/", profile.entry_create, name="entry-create"),
    path(pro + "lists/<slug:list_kind>/sort/", profile.entry_sort, name="entry-sort"),
    path(pro + "entries/<int:entry_id>/edit/", profile.entry_edit, name="entry-edit"),
    path(pro + "entries/<int:entry_id>/delete/", profile.entry_delete, name="entry-delete"),
    path(pro + "entries/<int:entry_id>/move/", profile.entry_move, name="entry-move"),
    path(pro + "value-map/<slug:item_kind>/", profile.item_create, name="item-create"),
    path(pro + "value-map/items/<int:item_id>/edit/", profile.item_edit, name="item-edit"),
    path(pro + "value-map/items/<int:item_id>/delete/", profile.item_delete, name="item-delete"),
    path(pro + "value-map/items/<int:item_id>/pin/", profile.item_pin, name="item-pin"),
    path(pro + "empathy/<slug:quadrant>/", profile.empathy_create, name="empathy-create"),
    path(pro + "empathy/<int:entry_id>/delete/", profile.empathy_delete, name="empathy-delete"),
    path(pro + "empathy/<int:entry_id>/promote/", profile.empathy_promote, name="empathy-promote"),
    path(prefix + "new/", views.segment_create, name="segment-create"),
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
