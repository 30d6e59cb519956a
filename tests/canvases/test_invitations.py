"""Invitation links: the role they give, single use, and who joined through them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from canvases.models import Invitation, Membership, Role
from canvases.teams import services as team_services
from tests.conftest import make_user, outcome

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"canvases:{name}", args=args)


def joined(user, invitation):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.post(url("invitation-accept", invitation.token))


def test_an_owner_makes_a_single_use_viewer_link(client_as, team):
    body = {"role": "viewer", "single_use": "on"}
    response = client_as("owner").post(url("invitation-create", team.pk), body)
    invitation = Invitation.objects.get(team=team)
    assert response.status_code == 303 and response["Location"].endswith(
        f"#invitation-{invitation.pk}"
    )
    assert (invitation.role, invitation.single_use) == (Role.VIEWER, True)


@pytest.mark.parametrize("role", ["owner", "king"])
def test_a_link_cannot_make_owners(client_as, team, role):
    response = client_as("owner").post(url("invitation-create", team.pk), {"role": role})
    assert response.status_code == 422
    assert "make owners from the members list" in response.content.decode()
    assert not Invitation.objects.exists()


def test_the_database_refuses_an_owner_link(team, owner):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(team=team, created_by=owner, role=Role.OWNER)


@pytest.mark.parametrize("persona", ["editor", "viewer", "outsider", "anonymous"])
def test_only_owners_make_links(client_as, team, persona):
    response = client_as(persona).post(url("invitation-create", team.pk), {"role": "viewer"})
    assert outcome(response) == {"outsider": 404, "anonymous": "login"}.get(persona, 403)


def test_joining_gives_the_links_role_and_remembers_the_link(team, owner):
    invitation = team_services.create_invitation(team=team, created_by=owner, role=Role.VIEWER)
    newcomer = make_user("nina")
    assert joined(newcomer, invitation).status_code == 303
    membership = Membership.objects.get(team=team, user=newcomer)
    assert (membership.role, membership.invitation_id) == (Role.VIEWER, invitation.pk)


def test_the_accept_page_says_which_role(client_as, team, owner):
    invitation = team_services.create_invitation(team=team, created_by=owner, role=Role.VIEWER)
    client = client_as("outsider")
    assert (
        "You will join as a viewer"
        in client.get(url("invitation-accept", invitation.token)).content.decode()
    )


def test_a_single_use_link_lets_one_person_in(team, owner):
    invitation = team_services.create_invitation(team=team, created_by=owner, single_use=True)
    first, second = make_user("nina"), make_user("noah")
    assert joined(first, invitation).status_code == 303
    response = joined(second, invitation)
    assert response.status_code == 410 and "for one person" in response.content.decode()
    assert not Membership.objects.filter(team=team, user=second).exists()
    # The person who joined may open it again: they are a member, nothing is claimed twice.
    assert joined(first, invitation).status_code == 303


def test_a_member_accepting_a_single_use_link_does_not_use_it_up(team, owner, editor):
    invitation = team_services.create_invitation(team=team, created_by=owner, single_use=True)
    joined(editor, invitation)
    invitation.refresh_from_db()
    assert invitation.used_at is None and invitation.is_usable


def test_the_members_page_shows_who_joined_through_each_link_with_a_copy_button(
    client_as, team, owner
):
    invitation = team_services.create_invitation(team=team, created_by=owner, single_use=True)
    joined(make_user("nina"), invitation)
    other = team_services.create_invitation(team=team, created_by=owner, role=Role.VIEWER)
    html = client_as("owner").get(url("team-members", team.pk)).content.decode()
    assert "Joined through it: nina" in html and "Nobody has joined through it yet." in html
    assert f'data-copy="invitation-url-{other.pk}"' in html
    # A used single-use link can no longer be copied, only removed from the list.
    assert f'data-copy="invitation-url-{invitation.pk}"' not in html
    assert "single-use" in html and "viewer" in html


def test_the_members_page_hides_links_from_non_owners(client_as, team, owner):
    team_services.create_invitation(team=team, created_by=owner)
    assert (
        "Invitation links"
        not in client_as("editor").get(url("team-members", team.pk)).content.decode()
    )
