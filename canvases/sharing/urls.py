"""Share links of a canvas, and the links themselves.

The names live in the "canvases" namespace (canvases/urls.py gathers every feature's).
"""

from django.urls import path

from . import views

links = "canvases/<int:canvas_id>/share-links/"
urlpatterns = [
    path(links, views.share_list, name="share-list"),
    path(links + "new/", views.share_create, name="share-create"),
    path(links + "<int:link_id>/revoke/", views.share_revoke, name="share-revoke"),
    path("s/<str:token>/", views.share_open, name="share-open"),
]
