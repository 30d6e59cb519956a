"""The live side of a canvas page: its event stream and presence.

The names live in the "canvases" namespace (canvases/urls.py gathers every feature's).
"""

from django.urls import path

from . import views

urlpatterns = [
    path("canvases/<int:canvas_id>/events/", views.canvas_events, name="canvas-events"),
    path("canvases/<int:canvas_id>/presence/", views.presence_bar, name="presence-bar"),
    path("canvases/<int:canvas_id>/presence/beat/", views.presence_beat, name="presence-beat"),
]
