"""Teams, members, invitation links, and a member's own address and notifications.

The names live in the "canvases" namespace (canvases/urls.py gathers every feature's).
"""

from django.urls import path

from . import account_views, views

urlpatterns = [
    path("teams/", views.team_list, name="team-list"),
    path("teams/new/", views.team_create, name="team-create"),
    path("teams/<int:team_id>/members/", views.team_members, name="team-members"),
    path(
        "teams/<int:team_id>/members/<int:membership_id>/role/",
        views.member_role,
        name="member-role",
    ),
    path(
        "teams/<int:team_id>/members/<int:membership_id>/remove/",
        views.member_remove,
        name="member-remove",
    ),
    path(
        "teams/<int:team_id>/invitations/",
        views.invitation_create,
        name="invitation-create",
    ),
    path(
        "teams/<int:team_id>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    path("join/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("accounts/email/", account_views.account_email, name="account-email"),
    path(
        "accounts/email/notifications/",
        account_views.account_notifications,
        name="account-notifications",
    ),
    path(
        "accounts/email/verification/",
        account_views.email_verification_resend,
        name="email-verification-resend",
    ),
    path("accounts/email/verify/<str:token>/", account_views.email_verify, name="email-verify"),
]
