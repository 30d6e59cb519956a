from datetime import timedelta

import pytest
from django.utils import timezone

from canvases import services
from canvases.exports import canvas_file
from canvases.models import BlockKind, Canvas, Membership, Note, Role
from canvases.teams import services as team_services

pytestmark = pytest.mark.django_db


def test_create_canvas_makes_the_nine_blocks(team, owner):
    canvas = services.create_canvas(team=team, title="New", author=owner)
    assert sorted(canvas.blocks.values_list("kind", flat=True)) == sorted(BlockKind.values)


def test_create_team_makes_the_creator_owner(owner):
    team = team_services.create_team(name="Acme", owner=owner)
    assert Membership.objects.get(team=team, user=owner).role == Role.OWNER


def test_add_note_appends_and_bumps_the_revision(block, owner):
    first = services.add_note(block=block, text="one", author=owner)
    second = services.add_note(block=block, text="two", author=owner)
    assert (first.position, second.position) == (0, 1)
    canvas = Canvas.objects.get(pk=block.canvas_id)
    assert canvas.revision == 2
    assert canvas.updated_by == owner


def test_edit_note_bumps_the_version(note, editor):
    services.edit_note(note=note, text="New text", version=note.version, actor=editor)
    note.refresh_from_db()
    assert (note.text, note.version) == ("New text", 2)


def test_edit_on_an_old_version_is_a_conflict_and_keeps_the_newer_text(note, editor, owner):
    services.edit_note(note=note, text="First save", version=1, actor=editor)
    with pytest.raises(services.NoteConflict) as conflict:
        services.edit_note(note=note, text="Late save", version=1, actor=owner)
    assert conflict.value.current.text == "First save"
    assert Note.objects.get(pk=note.pk).text == "First save"


def test_editing_a_deleted_note_is_a_conflict(note, editor):
    services.trash_note(note=note, actor=editor)
    with pytest.raises(services.NoteConflict) as conflict:
        services.edit_note(note=note, text="x", version=note.version, actor=editor)
    assert conflict.value.current is None


def _texts(block):
    return list(block.notes.alive().order_by("position", "pk").values_list("text", flat=True))


def test_move_note_within_a_block(block, owner):
    a, b, c = (services.add_note(block=block, text=t, author=owner) for t in "abc")
    services.move_note(note=c, to_block=block, position=0, actor=owner)
    assert _texts(block) == ["c", "a", "b"]
    services.move_note(note=c, to_block=block, position=99, actor=owner)
    assert _texts(block) == ["a", "b", "c"]


def test_move_note_to_another_block(canvas, block, owner):
    a = services.add_note(block=block, text="a", author=owner)
    channels = canvas.blocks.get(kind=BlockKind.CHANNELS)
    services.add_note(block=channels, text="x", author=owner)
    services.add_note(block=channels, text="y", author=owner)
    services.move_note(note=a, to_block=channels, position=1, actor=owner)
    assert _texts(channels) == ["x", "a", "y"]
    assert _texts(block) == []


def test_trash_and_restore_note_puts_it_at_the_end(block, owner):
    a = services.add_note(block=block, text="a", author=owner)
    services.add_note(block=block, text="b", author=owner)
    services.trash_note(note=a, actor=owner)
    assert _texts(block) == ["b"]
    services.restore_note(note=Note.objects.get(pk=a.pk), actor=owner)
    assert _texts(block) == ["b", "a"]


def test_duplicate_copies_live_notes_only(canvas, block, owner):
    services.add_note(block=block, text="keep", author=owner)
    gone = services.add_note(block=block, text="gone", author=owner)
    services.trash_note(note=gone, actor=owner)
    copy = canvas_file.duplicate_canvas(canvas=canvas, actor=owner)
    assert copy.title == "Copy of Cargo bike subscription"
    texts = Note.objects.of_canvas(copy).values_list("text", flat=True)
    assert list(texts) == ["keep"]


def test_purge_removes_only_what_is_older_than_the_retention(canvas, block, owner, team):
    old_note = services.add_note(block=block, text="old", author=owner)
    new_note = services.add_note(block=block, text="new", author=owner)
    services.trash_note(note=old_note, actor=owner)
    services.trash_note(note=new_note, actor=owner)
    Note.objects.filter(pk=old_note.pk).update(deleted_at=timezone.now() - timedelta(days=31))
    other = services.create_canvas(team=team, title="Old", author=owner)
    services.trash_canvas(canvas=other, actor=owner)
    Canvas.objects.filter(pk=other.pk).update(deleted_at=timezone.now() - timedelta(days=31))

    result = services.purge_trash()

    assert result.canvases == 1
    assert not Note.objects.filter(pk=old_note.pk).exists()
    assert Note.objects.filter(pk=new_note.pk).exists()
    assert not Canvas.objects.filter(pk=other.pk).exists()
    assert Canvas.objects.filter(pk=canvas.pk).exists()


def test_last_owner_cannot_step_down_or_leave(team, owner):
    membership = Membership.objects.get(team=team, user=owner)
    with pytest.raises(team_services.LastOwnerError):
        team_services.change_role(membership=membership, role=Role.EDITOR)
    with pytest.raises(team_services.LastOwnerError):
        team_services.remove_member(membership=membership)
    assert Membership.objects.get(pk=membership.pk).role == Role.OWNER


def test_an_owner_can_step_down_when_another_owner_exists(team, owner, editor):
    team_services.change_role(
        membership=Membership.objects.get(team=team, user=editor), role=Role.OWNER
    )
    team_services.change_role(
        membership=Membership.objects.get(team=team, user=owner), role=Role.VIEWER
    )
    assert Membership.objects.get(team=team, user=owner).role == Role.VIEWER


def test_accepting_an_invitation_makes_an_editor_and_keeps_existing_roles(
    team, owner, viewer, outsider
):
    invitation = team_services.create_invitation(team=team, created_by=owner)
    assert team_services.accept_invitation(invitation=invitation, user=outsider).role == Role.EDITOR
    assert team_services.accept_invitation(invitation=invitation, user=viewer).role == Role.VIEWER


def test_invitation_tokens_are_long_and_revocation_is_immediate(team, owner):
    invitation = team_services.create_invitation(team=team, created_by=owner)
    assert len(invitation.token) >= 43  # 32 random bytes, url-safe base64
    assert invitation.is_usable
    team_services.revoke_invitation(invitation=invitation)
    invitation.refresh_from_db()
    assert not invitation.is_usable
