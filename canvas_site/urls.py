from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.http import require_http_methods, require_safe

from canvases.teams import account_views
from canvases.teams import views as team_views

# Django's auth views check the method after logging-in checks and redirects: the wrong
# method answers 405 first, like every view of the app.
forms_only = require_http_methods(["GET", "HEAD", "POST"])

urlpatterns = [
    path("", team_views.home, name="home"),
    path("accounts/signup/", team_views.signup, name="signup"),
    path("accounts/login/", forms_only(team_views.ThrottledLoginView.as_view()), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        forms_only(auth_views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        require_safe(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    # Forgot your password: Django's views and tokens (a link valid PASSWORD_RESET_HOURS, and
    # only until the password changes), to verified addresses only (account_views).
    path(
        "accounts/password/reset/",
        forms_only(account_views.ThrottledPasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        require_safe(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        forms_only(account_views.NewPasswordView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        require_safe(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    path("", include("canvases.urls")),
    path("", include("segments.urls")),
]

# Overload and database outages answer 503 with Retry-After; everything else a plain 500.
handler500 = "canvas_site.errors.server_error"
