from django.urls import path

from . import views

canvas = "canvases/<int:canvas_id>/"
thread = canvas + "comments/<slug:target_kind>/<int:target_id>/"
comment = canvas + "comments/<int:comment_id>/"
urlpatterns = [
    path(thread, views.thread_detail, name="thread-detail"),
    path(thread + "new/", views.comment_create, name="comment-create"),
    path(thread + "resolve/", views.thread_resolve, name="thread-resolve"),
    path(thread + "reopen/", views.thread_reopen, name="thread-reopen"),
    path(comment + "edit/", views.comment_edit, name="comment-edit"),
    path(comment + "delete/", views.comment_delete, name="comment-delete"),
    path(canvas + "mentionable/", views.mention_candidates, name="mention-candidates"),
]
