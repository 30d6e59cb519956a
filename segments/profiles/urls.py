"""A segment's customer profile, value map and empathy map (names in the "segments" namespace)."""

from django.urls import path

from . import views as profile

profile_of = "canvases/<int:canvas_id>/segments/<int:segment_id>/profile/"
pro = profile_of
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
]
