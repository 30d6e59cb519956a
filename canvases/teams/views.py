"""Accounts, teams, members and invitation links."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.db import IntegrityError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from canvas_site.htmx import HtmxHttpRequest, after_write
from canvas_site.next_url import next_url
from canvases import throttles
from canvases.models import Membership, Role

from . import accounts, services
from .access import invitation_by_link, invitation_of, member_of, membership_for
from .forms import InvitationForm, RoleForm, SignUpForm, TeamForm
from .session import current_membership, memberships_of


def members_url(team_id: int) -> str:
    return reverse("canvases:team-members", kwargs={"team_id": team_id})


@require_safe
def home(request: HtmxHttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("login")
    membership = current_membership(request, memberships_of(request.user))
    if membership is None:
        return redirect("canvases:team-list")
    return redirect("canvases:canvas-list", team_id=membership.team_id)


class ThrottledLoginView(LoginView):
    """Django's log-in, with failed attempts limited per (username, address) pair and per
    address: counted before the password is checked, so that a burst cannot get further."""

    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs) -> HttpResponse:
        if not settings.LOGIN_THROTTLE:
            return super().post(request, *args, **kwargs)
        pair, address = login_attempt_keys(request)
        window = settings.LOGIN_LOCKOUT_SECONDS
        over = [
            throttles.over_limit(pair, limit=settings.LOGIN_FAILURE_LIMIT, window=window),
            throttles.over_limit(
                address, limit=settings.LOGIN_ADDRESS_FAILURE_LIMIT, window=window
            ),
        ]
        if any(over):
            context = {"minutes": window // 60}
            return render(request, "registration/locked_out.html", context, status=429)
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:  # it was the right password: it does not count
            throttles.counts().forget(pair)
            throttles.counts().give_back(address)
        return response


def login_attempt_keys(request: HtmxHttpRequest) -> tuple[str, str]:
    address = throttles.client_address(request)
    username = request.POST.get("username", "").strip().casefold()[:150]
    return f"login:{username}:{address}", f"login-address:{address}"


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HtmxHttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = accounts.sign_up(
                username=data["username"],
                email=data["email"],
                password=data["password1"],
                site=request.build_absolute_uri("/"),
            )
        except IntegrityError:
            # Someone took the name or the address a moment ago: the form now says which.
            form = SignUpForm(request.POST)
            if form.is_valid():
                form.add_error(None, "That name or address was just taken: try another.")
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                f"Welcome! We sent a link to {user.email}: open it to confirm your address. "
                "Now create a team, or open an invitation link you were sent.",
            )
            return redirect(next_url(request, default=reverse("canvases:team-list")))
    status = 422 if request.method == "POST" else 200
    return render(request, "registration/signup.html", {"form": form}, status=status)


@require_safe
@login_required
def team_list(request: HtmxHttpRequest) -> HttpResponse:
    context = {"memberships": memberships_of(request.user), "form": TeamForm()}
    return render(request, "teams/team_list.html", context)


@require_POST
@login_required
def team_create(request: HtmxHttpRequest) -> HttpResponse:
    form = TeamForm(request.POST)
    if not form.is_valid():
        context = {"memberships": memberships_of(request.user), "form": form}
        return render(request, "teams/team_list.html", context, status=422)
    team = services.create_team(name=form.cleaned_data["name"], owner=request.user)
    messages.success(request, f"Team “{team.name}” is ready. Create its first canvas.")
    return after_write(request, reverse("canvases:canvas-list", kwargs={"team_id": team.pk}))


def members_context(membership: Membership, **extra) -> dict:
    team = membership.team
    is_owner = membership.role == Role.OWNER
    # Who joined through each link: their memberships, in one query for the whole list.
    joined = Prefetch("memberships", queryset=Membership.objects.select_related("user"))
    invitations = (
        team.invitations.filter(revoked_at__isnull=True)
        .select_related("created_by")
        .prefetch_related(joined)
    )
    return {
        "team": team,
        "membership": membership,
        "members": team.memberships.select_related("user").order_by("user__username"),
        "invitations": invitations if is_owner else [],
        "invitation_form": extra.pop("invitation_form", None) or InvitationForm(),
        "roles": Role.choices,
        **extra,
    }


@require_safe
@login_required
def team_members(request: HtmxHttpRequest, team_id: int) -> HttpResponse:
    membership = membership_for(request.user, team_id)
    return render(request, "teams/team_members.html", members_context(membership))


@require_POST
@login_required
def invitation_create(request: HtmxHttpRequest, team_id: int) -> HttpResponse:
    membership = membership_for(request.user, team_id, at_least=Role.OWNER)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        context = members_context(membership, invitation_form=form)
        return render(request, "teams/team_members.html", context, status=422)
    invitation = services.create_invitation(
        team=membership.team,
        created_by=request.user,
        role=Role(form.cleaned_data["role"]),
        single_use=form.cleaned_data["single_use"],
    )
    messages.success(request, "A new invitation link is ready: copy it and send it.")
    return after_write(request, members_url(team_id) + f"#invitation-{invitation.pk}")


@require_POST
@login_required
def invitation_revoke(request: HtmxHttpRequest, team_id: int, invitation_id: int) -> HttpResponse:
    membership = membership_for(request.user, team_id, at_least=Role.OWNER)
    invitation = invitation_of(membership.team, invitation_id)
    services.revoke_invitation(invitation=invitation)
    messages.success(request, "The invitation link no longer works.")
    return after_write(request, members_url(team_id) + "#invitations")


@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept(request: HtmxHttpRequest, token: str) -> HttpResponse:
    invitation = invitation_by_link(token)
    already = None
    if invitation is not None and request.user.is_authenticated:
        already = Membership.objects.filter(team=invitation.team, user=request.user).first()
    if invitation is None or not (invitation.is_usable or already):
        # A used single-use link is gone for good (410); a wrong, expired or revoked one 404.
        status = 410 if invitation is not None and invitation.used_at else 404
        context = {"invitation": invitation}
        return render(request, "teams/invitation_invalid.html", context, status=status)
    if not request.user.is_authenticated:
        # Show whose team it is and offer log in or sign up, both coming back here.
        return render(request, "teams/invitation_accept.html", {"invitation": invitation})
    if request.method != "POST":
        context = {"invitation": invitation, "already": already}
        return render(request, "teams/invitation_accept.html", context)
    try:
        services.accept_invitation(invitation=invitation, user=request.user)
    except services.InvitationUsed:
        return render(
            request, "teams/invitation_invalid.html", {"invitation": invitation}, status=410
        )
    messages.success(request, f"You are now a member of “{invitation.team.name}”.")
    return after_write(
        request, reverse("canvases:canvas-list", kwargs={"team_id": invitation.team_id})
    )


@require_POST
@login_required
def member_role(request: HtmxHttpRequest, team_id: int, membership_id: int) -> HttpResponse:
    mine = membership_for(request.user, team_id, at_least=Role.OWNER)
    member = member_of(mine.team, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        return member_error(request, team_id, form.errors["role"][0])
    try:
        services.change_role(membership=member, role=Role(form.cleaned_data["role"]))
    except services.LastOwnerError as error:
        return member_error(request, team_id, str(error))
    messages.success(request, f"{member.user.username} is now {member.get_role_display().lower()}.")
    return after_write(request, members_url(team_id))


@require_POST
@login_required
def member_remove(request: HtmxHttpRequest, team_id: int, membership_id: int) -> HttpResponse:
    """Owners remove anyone; every member may remove themselves (leave)."""
    mine = membership_for(request.user, team_id)
    member = member_of(mine.team, membership_id)
    leaving = member.pk == mine.pk
    if not leaving:
        membership_for(request.user, team_id, at_least=Role.OWNER)
    try:
        services.remove_member(membership=member)
    except services.LastOwnerError as error:
        return member_error(request, team_id, str(error))
    if leaving:
        messages.success(request, f"You left “{mine.team.name}”.")
        return after_write(request, reverse("canvases:team-list"))
    messages.success(request, f"{member.user.username} is no longer in the team.")
    return after_write(request, members_url(team_id))


def member_error(request: HtmxHttpRequest, team_id: int, message: str) -> HttpResponse:
    """422: the members page again, with the reason on top."""
    membership = membership_for(request.user, team_id)
    context = members_context(membership, error=message)
    return render(request, "teams/team_members.html", context, status=422)
