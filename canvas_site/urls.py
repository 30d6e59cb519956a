from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from canvases import team_views

urlpatterns = [
    path("", team_views.home, name="home"),
    path("accounts/signup/", team_views.signup, name="signup"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("admin/", admin.site.urls),
    path("", include("canvases.urls")),
    path("", include("segments.urls")),
]
