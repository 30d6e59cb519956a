from django.urls import path

from . import views

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_read_all, name="inbox-read-all"),
    path("inbox/<int:mention_id>/read/", views.mention_read, name="mention-read"),
]
