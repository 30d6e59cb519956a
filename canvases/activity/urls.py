from django.urls import path

from . import views

urlpatterns = [
    path("canvases/<int:canvas_id>/activity/", views.canvas_activity, name="canvas-activity"),
]
