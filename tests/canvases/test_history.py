"""Every change is recorded; one's own last change can be undone; named versions."""

import pytest
from django.urls import reverse

from canvases import services
from canvases.history import services as history_services
from canvases.history.compare import compare_contents
from canvases.models import BlockKind, Canvas, CanvasVersion, ChangeRecord, Note
from segments.profiles import services as profile_services
from tests.conftest import outcome

pytestmark = pytest.mark.django_db

READ = {"owner": 200, "editor": 200, "viewer": 200, "outsider": 404, "anonymous": "login"}
EDIT = {"owner": 303, "editor": 303, "viewer": 403, "outsider": 404, "anonymous": "login"}


def texts(canvas, kind=BlockKind.VALUE_PROPOSITIONS):
    notes = Note.objects.alive().filter(block__canvas=canvas, block__kind=kind)
    return list(notes.order_by("position", "pk").values_list("text", flat=True))


def test_every_change_is_recorded_with_before_and_after(note, editor):
    services.edit_note(note=note, text="Door to door", version=1, actor=editor)
    record = ChangeRecord.objects.first()
    assert (record.verb, record.actor, record.revision) == ("note.edited", editor, 2)
    assert record.before["text"] == "Bikes delivered to your door"
    assert record.after["text"] == "Door to door"
    assert "Door to door" in record.summary


@pytest.mark.parametrize("change", ["added", "edited", "recoloured", "moved", "deleted"])
def test_undo_of_ones_own_last_change(canvas, block, owner, change):
    note = services.add_note(block=block, text="One", author=owner)
    services.add_note(block=block, text="Two", author=owner)
    before = texts(canvas), Note.objects.get(pk=note.pk).colour
    if change == "edited":
        services.edit_note(note=note, text="Uno", version=1, actor=owner)
    elif change == "recoloured":
        services.edit_note(note=note, text=note.text, version=1, colour="pink", actor=owner)
    elif change == "moved":
        services.move_note(
            note=note, to_block=canvas.blocks.get(kind="channels"), position=0, actor=owner
        )
    elif change == "deleted":
        services.trash_note(note=note, actor=owner)
    record = history_services.last_own_change(canvas, owner)
    history_services.undo_change(record=record, actor=owner)
    if change == "added":
        assert texts(canvas) == ["One"]  # "Two" was the last change
    else:
        assert (texts(canvas), Note.objects.get(pk=note.pk).colour) == before
    record.refresh_from_db()
    assert record.undone_by.verb == "change.undone"
    assert (
        history_services.last_own_change(canvas, owner) is None
        or history_services.last_own_change(canvas, owner).pk != record.pk
    )


def test_undo_refuses_to_overwrite_someone_elses_later_edit(note, owner, editor, canvas):
    services.edit_note(note=note, text="Mine", version=1, actor=owner)
    record = history_services.last_own_change(canvas, owner)
    services.edit_note(note=note, text="Theirs", version=2, actor=editor)
    with pytest.raises(history_services.UndoError):
        history_services.undo_change(record=record, actor=owner)
    assert Note.objects.get(pk=note.pk).text == "Theirs"


def test_undo_of_a_title_change(canvas, owner):
    services.update_canvas(canvas=canvas, title="New", description="", actor=owner)
    history_services.undo_change(
        record=history_services.last_own_change(canvas, owner), actor=owner
    )
    assert Canvas.objects.get(pk=canvas.pk).title == "Cargo bike subscription"


def test_only_ones_own_changes_count(note, owner, editor, canvas):
    assert history_services.last_own_change(canvas, editor) is None
    assert history_services.last_own_change(canvas, owner).verb == "note.added"


def test_restoring_a_version_in_place(canvas, block, owner):
    keep = services.add_note(block=block, text="Keep", author=owner)
    change = services.add_note(block=block, text="Before", author=owner)
    version = history_services.save_version(canvas=canvas, name="v1", comment="", actor=owner)
    services.edit_note(note=change, text="After", version=1, actor=owner)
    services.add_note(block=block, text="Added later", author=owner)
    services.trash_note(note=keep, actor=owner)
    history_services.restore_version(version=version, actor=owner)
    assert texts(canvas) == ["Keep", "Before"]
    assert ChangeRecord.objects.first().verb == "version.restored"
    assert Note.objects.filter(
        text="Added later", deleted_at__isnull=False
    ).exists()  # in the trash


def test_restoring_a_version_as_a_new_canvas(canvas, block, owner):
    services.add_note(block=block, text="Keep", author=owner)
    version = history_services.save_version(canvas=canvas, name="v1", comment="", actor=owner)
    copy = history_services.copy_version(version=version, actor=owner)
    assert copy.title == "Cargo bike subscription (v1)"
    assert texts(copy) == ["Keep"] and texts(canvas) == ["Keep"]


def test_compare_lists_added_removed_changed_and_moved_per_block(canvas, block, owner):
    a = services.add_note(block=block, text="A", author=owner)
    b = services.add_note(block=block, text="B", author=owner)
    c = services.add_note(block=block, text="C", author=owner)
    old = history_services.save_version(canvas=canvas, name="old", comment="", actor=owner).content
    services.edit_note(note=a, text="A2", version=1, actor=owner)
    services.trash_note(note=b, actor=owner)
    services.move_note(note=c, to_block=canvas.blocks.get(kind="channels"), position=0, actor=owner)
    services.add_note(block=block, text="D", author=owner)
    diffs = {d.kind: d for d in compare_contents(old, history_services.canvas_content(canvas))}
    values = diffs["value_propositions"]
    assert [n["text"] for n in values.added] == ["D"]
    assert [n["text"] for n in values.removed] == ["B"]
    assert [(x["text"], y["text"]) for x, y in values.changed] == [("A", "A2")]
    assert [y["text"] for _, y in diffs["channels"].moved] == ["C"]
    assert diffs["key_partners"].unchanged


def test_reordering_within_a_block_shows_as_moved(canvas, block, owner):
    a = services.add_note(block=block, text="A", author=owner)
    services.add_note(block=block, text="B", author=owner)
    old = history_services.canvas_content(canvas)
    services.move_note(note=a, to_block=block, position=1, actor=owner)
    diff = {d.kind: d for d in compare_contents(old, history_services.canvas_content(canvas))}
    moved = sorted(y["text"] for _, y in diff["value_propositions"].moved)
    assert moved == ["A", "B"]


# Views


@pytest.mark.parametrize("persona", READ)
def test_history_page_by_persona(client_as, canvas, note, persona):
    response = client_as(persona).get(reverse("canvases:canvas-history", args=[canvas.pk]))
    assert outcome(response) == READ[persona]
    if READ[persona] == 200:
        assert "added “Bikes delivered to your door”" in response.content.decode()


def test_undo_button_only_for_ones_own_undoable_change(client_as, canvas, note):
    url = reverse("canvases:canvas-history", args=[canvas.pk])
    assert "Undo my last change" in client_as("owner").get(url).content.decode()
    assert "Undo my last change" not in client_as("editor").get(url).content.decode()
    undo = reverse("canvases:change-undo", args=[canvas.pk])
    assert client_as("editor").post(undo).status_code == 409
    assert client_as("viewer").post(undo).status_code == 403
    assert client_as("owner").post(undo).status_code == 303
    assert not Note.objects.alive().exists()
    assert client_as("owner").get(undo).status_code == 405


@pytest.mark.parametrize("persona", EDIT)
def test_saving_a_version_by_persona(client_as, canvas, persona):
    url = reverse("canvases:version-create", args=[canvas.pk])
    response = client_as(persona).post(url, {"name": "Pitch", "comment": "before the meeting"})
    assert outcome(response) == EDIT[persona]
    assert CanvasVersion.objects.exists() == (EDIT[persona] == 303)


def test_a_version_needs_a_name(client_as, canvas):
    url = reverse("canvases:version-create", args=[canvas.pk])
    response = client_as("editor").post(url, {"name": ""})
    assert response.status_code == 422 and "Name the version." in response.content.decode()


@pytest.mark.parametrize("persona", EDIT)
def test_restoring_a_version_by_persona(client_as, canvas, owner, persona):
    version = history_services.save_version(canvas=canvas, name="v", comment="", actor=owner)
    url = reverse("canvases:version-restore", args=[canvas.pk, version.pk])
    assert outcome(client_as(persona).post(url)) == EDIT[persona]


def test_restoring_as_a_copy_goes_to_the_new_canvas(client_as, canvas, owner):
    version = history_services.save_version(canvas=canvas, name="v", comment="", actor=owner)
    url = reverse("canvases:version-restore", args=[canvas.pk, version.pk])
    response = client_as("editor").post(url, {"as": "copy"})
    copy = Canvas.objects.exclude(pk=canvas.pk).get()
    assert response["Location"] == reverse("canvases:canvas-detail", args=[copy.pk])


def test_compare_page(client_as, canvas, block, owner):
    version = history_services.save_version(canvas=canvas, name="v", comment="", actor=owner)
    services.add_note(block=block, text="Brand new", author=owner)
    url = reverse("canvases:version-compare", args=[canvas.pk])
    html = client_as("viewer").get(url, {"a": version.pk, "b": "current"}).content.decode()
    assert "From “v” to the canvas now" in html and "Brand new" in html
    assert client_as("viewer").get(url, {"a": "nope"}).status_code == 422
    assert client_as("outsider").get(url, {"a": version.pk}).status_code == 404


def test_segment_and_profile_changes_keep_before_and_after(client_as, canvas, owner):
    from decimal import Decimal

    from segments import services as segment_services

    segment = segment_services.create_segment(canvas=canvas, name="Couriers", actor=owner)
    segment_services.update_segment(
        segment=segment, actor=owner, gross_margin_percent=Decimal("40")
    )
    record = ChangeRecord.objects.first()
    assert record.before == {"gross_margin_percent": None}
    assert record.after == {"gross_margin_percent": "40"}
    entry = profile_services.add_entry(
        segment=segment, list="pain", text="Rain", score=2, actor=owner
    )
    profile_services.update_entry(entry=entry, actor=owner, score=5)
    assert ChangeRecord.objects.first().before == {"score": "2"}
    html = client_as("viewer").get(reverse("canvases:canvas-history", args=[canvas.pk])).content
    assert "gross margin percent:" in html.decode()
