"""One furnished team for the security tests: every persona, a workshop with private writing
on, hidden notes by a member and by a guest, segments, a profile, a named version, a canvas
and a note in the trash.

`world` is built once per test (each test runs in its own transaction). The walkers in
`tests/security/urls.py` fill every URL pattern of the resolver from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import reverse

from canvases import services
from canvases.comments import services as comment_services
from canvases.comments.access import target_of
from canvases.history import services as history_services
from canvases.models import (
    Account,
    Canvas,
    Comment,
    Guest,
    Invitation,
    Membership,
    Note,
    ShareLink,
    Team,
    Viewer,
    Workshop,
)
from canvases.sharing import services as sharing_services
from canvases.teams import services as team_services
from canvases.workshops import services as workshop_services
from canvases.workshops import voting
from segments import services as segment_services
from segments.models import Segment
from segments.profiles import services as profile_services

MEMBER_SECRET = "member-secret-7f3a9"
GUEST_SECRET = "guest-secret-c41d2"
SECRETS = (MEMBER_SECRET, GUEST_SECRET)
PERSONAS = ["anonymous", "outsider", "viewer", "editor", "owner", "guest", "other_guest", "holder"]


@dataclass
class World:
    team: Team
    canvas: Canvas
    other_canvas: Canvas
    foreign_canvas: Canvas
    workshop: Workshop
    other_workshop: Workshop
    segment: Segment
    visible_note: Note
    member_secret_note: Note
    guest_secret_note: Note
    guest: Guest
    other_guest: Guest
    invitation: Invitation
    viewer_membership: Membership
    trashed_canvas: Canvas  # what canvas-restore brings back
    trashed_note: Note  # what note-restore brings back (the owner's, visible to every member)
    share_link: ShareLink  # a link to `canvas`: the holder persona opened it
    share_token: str
    visible_comment: Comment  # the owner's, on the visible note: only the owner changes it
    secret_comment: Comment  # the editor's, on their hidden note, quoting its secret
    users: dict = field(default_factory=dict)
    clients: dict[str, Client] = field(default_factory=dict)

    def client(self, persona: str, **options) -> Client:
        """A fresh client for the persona (members logged in, guests joined by link)."""
        client = Client(raise_request_exception=False, **options)
        if persona in self.users:
            client.force_login(self.users[persona])
        elif persona in ("guest", "other_guest"):
            guest = self.guest if persona == "guest" else self.other_guest
            session = client.session
            session["guest_id"] = guest.pk
            session.save()
        elif persona == "holder":  # opened a share link to `canvas`, with no account
            response = client.get(reverse("canvases:share-open", args=[self.share_token]))
            assert response.status_code == 302, response.status_code
        return client

    def author_of(self, secret: str) -> str:
        return "editor" if secret == MEMBER_SECRET else "guest"


def join_as_guest(workshop: Workshop, name: str) -> Guest:
    client = Client()
    response = client.post(
        reverse("canvases:workshop-join", args=[workshop.join_token]), {"display_name": name}
    )
    assert response.status_code == 302
    return Guest.objects.get(workshop=workshop, display_name=name)


def comment_on(canvas: Canvas, note: Note, text: str, author) -> Comment:
    canvas.viewer = Viewer(user_id=author.pk)
    target = target_of(canvas, "note", note.pk)
    return comment_services.add_comment(canvas=canvas, target=target, text=text, author=author)


@pytest.fixture
def world(db, owner, editor, viewer, outsider) -> World:
    # The owner has a confirmed address: the password reset and verification links reach them.
    owner.email = "olivia@example.org"
    owner.save(update_fields=["email"])
    Account.objects.create(user=owner, verified_email=owner.email)
    team = team_services.create_team(name="Harbour Bikes", owner=owner)
    Membership.objects.create(team=team, user=editor, role="editor")
    viewer_membership = Membership.objects.create(team=team, user=viewer, role="viewer")
    canvas = services.create_canvas(team=team, title="Cargo bikes", author=owner)
    other_canvas = services.create_canvas(team=team, title="Second canvas", author=owner)
    foreign_team = outsider.memberships.get().team
    foreign_canvas = services.create_canvas(team=foreign_team, title="Not yours", author=outsider)
    segment = segment_services.create_segment(canvas=canvas, name="Families", actor=owner)
    profile_services.add_entry(segment=segment, list="pain", text="Parking", actor=owner, score=4)
    entry = segment.profile_entries.get()
    profile_services.add_value_item(
        segment=segment, kind="reliever", text="Folding frame", addresses=[entry], actor=owner
    )
    profile_services.add_empathy(segment=segment, quadrant="sees", text="Traffic", actor=owner)
    segment_services.add_criterion(segment=segment, base="geographic", text="City", actor=owner)
    segment_services.record_snapshot(segment=segment, actor=owner)
    channels = canvas.blocks.get(kind="channels")
    visible = services.add_note(block=channels, text="Bike shops", author=owner)
    trashed_note = services.add_note(block=channels, text="Old idea", author=owner)
    services.trash_note(note=trashed_note, actor=owner)
    trashed_canvas = services.create_canvas(team=team, title="Abandoned", author=owner)
    services.trash_canvas(canvas=trashed_canvas, actor=owner)
    history_services.save_version(
        canvas=canvas, name="Before the workshop", comment="", actor=owner
    )

    workshop = workshop_services.start_workshop(canvas=canvas, facilitator=owner, title="Ideas")
    workshop_services.start_private_writing(workshop=workshop, actor=owner)
    guest = join_as_guest(workshop, "Grace")
    member_secret = services.add_note(block=channels, text=MEMBER_SECRET, author=editor)
    guest_secret = services.add_note(block=channels, text=GUEST_SECRET, author=None, guest=guest)
    assert member_secret.hidden and guest_secret.hidden
    segment_services.set_note_segments(note=member_secret, segments=[segment], actor=editor)
    member_secret.refresh_from_db()
    services.edit_note(
        note=member_secret,
        text=MEMBER_SECRET + " (edited)",
        version=member_secret.version,
        actor=editor,
    )
    member_secret.refresh_from_db()
    workshop = workshop_services.open_voting(workshop=workshop, block="", budget=3, actor=owner)
    voting.vote(workshop=workshop, note=member_secret, user=editor)
    voting.vote(workshop=workshop, note=guest_secret, guest=guest)
    workshop = workshop_services.close_voting(workshop=workshop, actor=owner)
    history_services.save_version(
        canvas=canvas, name="During the workshop", comment="", actor=owner
    )

    visible_comment = comment_on(canvas, visible, "Which shops? @eddie", owner)
    secret_comment = comment_on(canvas, member_secret, MEMBER_SECRET + " remark @olivia", editor)
    other_workshop = workshop_services.start_workshop(canvas=other_canvas, facilitator=owner)
    other_guest = join_as_guest(other_workshop, "Mallory")
    invitation = team_services.create_invitation(team=team, created_by=owner)
    shared = sharing_services.create_share_link(
        canvas=canvas, label="Investors", expires_at=None, show_member_names=False, actor=owner
    )
    users = {"owner": owner, "editor": editor, "viewer": viewer, "outsider": outsider}
    return World(
        team=team,
        canvas=canvas,
        other_canvas=other_canvas,
        foreign_canvas=foreign_canvas,
        workshop=workshop,
        other_workshop=other_workshop,
        segment=segment,
        visible_note=visible,
        member_secret_note=member_secret,
        guest_secret_note=guest_secret,
        guest=guest,
        other_guest=other_guest,
        invitation=invitation,
        viewer_membership=viewer_membership,
        trashed_canvas=trashed_canvas,
        trashed_note=trashed_note,
        share_link=shared.link,
        share_token=shared.token,
        visible_comment=visible_comment,
        secret_comment=secret_comment,
        users=users,
    )
