"""Teams, members, roles and invitation links."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from canvases.models import Invitation, Membership, Role, Team
from canvases.teams import services as team_services
from tests.conftest import HTMX, outcome

pytestmark = pytest.mark.django_db

OWN = {"owner": 303, "editor": 403, "viewer": 403, "outsider": 404, "anonymous": "login"}


def url(name, *args):
    return reverse(f"canvases:{name}", args=args)


def test_home_sends_people_to_the_right_place(client_as, team, outsider):
    assert client_as("anonymous").get("/")["Location"].startswith(reverse("login"))
    assert client_as("editor").get("/")["Location"] == url("canvas-list", team.pk)


def test_home_without_a_team_asks_to_create_one(db, client):
    from tests.conftest import make_user

    client.force_login(make_user("newbie"))
    assert client.get("/")["Location"] == url("team-list")
    assert "You are not in a team yet" in client.get(url("team-list")).content.decode()


def test_the_team_switcher_remembers_the_last_team(client_as, team, editor):
    second = team_services.create_team(name="Second", owner=editor)
    client = client_as("editor")
    client.get(url("canvas-list", second.pk))
    assert client.get("/")["Location"] == url("canvas-list", second.pk)
    html = client.get(url("canvas-list", team.pk)).content.decode()
    assert "Second" in html and "Harbour Bikes" in html


def test_creating_a_team(client_as):
    response = client_as("outsider").post(url("team-create"), {"name": "Night bakers"})
    team = Team.objects.get(name="Night bakers")
    assert response.status_code == 303
    assert Membership.objects.get(team=team).role == Role.OWNER


def test_a_team_needs_a_name(client_as):
    response = client_as("outsider").post(url("team-create"), {"name": ""})
    assert response.status_code == 422
    assert "Give the team a name." in response.content.decode()


def test_team_pages_need_login(client_as):
    assert outcome(client_as("anonymous").get(url("team-list"))) == "login"
    assert outcome(client_as("anonymous").post(url("team-create"), {"name": "x"})) == "login"


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("owner", 200), ("editor", 200), ("viewer", 200), ("outsider", 404), ("anonymous", "login")],
)
def test_members_page_by_persona(client_as, team, persona, expected):
    response = client_as(persona).get(url("team-members", team.pk))
    assert outcome(response) == expected


def test_only_owners_see_invitation_links(client_as, team, owner):
    invitation = team_services.create_invitation(team=team, created_by=owner)
    assert invitation.token in client_as("owner").get(url("team-members", team.pk)).content.decode()
    assert (
        invitation.token
        not in client_as("editor").get(url("team-members", team.pk)).content.decode()
    )


@pytest.mark.parametrize("persona", OWN)
def test_creating_an_invitation_by_persona(client_as, team, persona):
    response = client_as(persona).post(url("invitation-create", team.pk))
    assert outcome(response) == OWN[persona]
    assert Invitation.objects.filter(team=team).exists() == (OWN[persona] == 303)


@pytest.mark.parametrize("persona", OWN)
def test_revoking_an_invitation_by_persona(client_as, team, owner, persona):
    invitation = team_services.create_invitation(team=team, created_by=owner)
    response = client_as(persona).post(url("invitation-revoke", team.pk, invitation.pk))
    assert outcome(response) == OWN[persona]
    invitation.refresh_from_db()
    assert (invitation.revoked_at is not None) == (OWN[persona] == 303)


def test_joining_through_a_link(client_as, team, owner):
    invitation = team_services.create_invitation(team=team, created_by=owner)
    join = url("invitation-accept", invitation.token)
    anonymous = client_as("anonymous").get(join).content.decode()
    assert "Harbour Bikes" in anonymous and "Log in" in anonymous
    client = client_as("outsider")
    assert "Join the team" in client.get(join).content.decode()
    response = client.post(join)
    assert response.status_code == 303
    assert Membership.objects.get(team=team, user__username="oscar").role == Role.EDITOR


@pytest.mark.parametrize("state", ["revoked", "expired", "wrong"])
def test_unusable_links_are_refused_with_a_clear_page(client_as, team, owner, state):
    invitation = team_services.create_invitation(team=team, created_by=owner)
    if state == "revoked":
        team_services.revoke_invitation(invitation=invitation)
    elif state == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
    token = invitation.token if state != "wrong" else "not-a-token"
    response = client_as("outsider").post(url("invitation-accept", token))
    assert response.status_code == 404
    assert "This invitation link does not work" in response.content.decode()
    assert not Membership.objects.filter(team=team, user__username="oscar").exists()


@pytest.mark.parametrize("persona", OWN)
def test_changing_a_role_by_persona(client_as, team, persona):
    member = Membership.objects.get(team=team, user__username="vera")
    response = client_as(persona).post(url("member-role", team.pk, member.pk), {"role": "editor"})
    assert outcome(response) == OWN[persona]
    member.refresh_from_db()
    assert (member.role == Role.EDITOR) == (OWN[persona] == 303)


def test_an_unknown_role_is_422(client_as, team):
    member = Membership.objects.get(team=team, user__username="vera")
    response = client_as("owner").post(url("member-role", team.pk, member.pk), {"role": "king"})
    assert response.status_code == 422
    assert "Pick owner, editor or viewer." in response.content.decode()


def test_the_last_owner_cannot_demote_themselves(client_as, team):
    mine = Membership.objects.get(team=team, user__username="olivia")
    response = client_as("owner").post(url("member-role", team.pk, mine.pk), {"role": "viewer"})
    assert response.status_code == 422
    assert "at least one owner" in response.content.decode()
    mine.refresh_from_db()
    assert mine.role == Role.OWNER


def test_the_last_owner_cannot_leave(client_as, team):
    mine = Membership.objects.get(team=team, user__username="olivia")
    response = client_as("owner").post(url("member-remove", team.pk, mine.pk), **HTMX)
    assert response.status_code == 422
    assert Membership.objects.filter(pk=mine.pk).exists()


@pytest.mark.parametrize("persona", OWN)
def test_removing_a_member_by_persona(client_as, team, persona):
    member = Membership.objects.get(team=team, user__username="eddie")
    response = client_as(persona).post(url("member-remove", team.pk, member.pk))
    expected = 303 if persona in ("owner", "editor") else OWN[persona]  # the editor leaves
    assert outcome(response) == expected
    assert Membership.objects.filter(pk=member.pk).exists() == (expected != 303)


def test_a_member_can_leave(client_as, team):
    mine = Membership.objects.get(team=team, user__username="vera")
    response = client_as("viewer").post(url("member-remove", team.pk, mine.pk))
    assert response["Location"] == url("team-list")
    assert not Membership.objects.filter(pk=mine.pk).exists()


def test_a_removed_member_loses_access_at_once(client_as, team, canvas):
    client = client_as("editor")
    assert client.get(url("canvas-detail", canvas.pk)).status_code == 200
    Membership.objects.filter(team=team, user__username="eddie").delete()
    assert client.get(url("canvas-detail", canvas.pk)).status_code == 404


def test_member_of_another_team_cannot_be_managed_from_here(client_as, team, outsider):
    foreign = Membership.objects.get(user=outsider)
    response = client_as("owner").post(url("member-role", team.pk, foreign.pk), {"role": "viewer"})
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["invitation-create", "team-create"])
def test_team_writes_refuse_get(client_as, team, name):
    target = url(name, team.pk) if name != "team-create" else url(name)
    assert client_as("owner").get(target).status_code == 405
