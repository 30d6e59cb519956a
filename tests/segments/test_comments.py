"""Comment threads on segments and profile entries: the targets segments register, per
persona, htmx and plain, the badges (counted in one query), live events, inbox and activity."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canvases.comments import services as comment_services
from canvases.comments.access import comment_url, target_of
from canvases.models import ChangeRecord, Comment, Viewer
from canvases.workshops import services as workshop_services
from segments import services as segment_services
from segments.profiles import services as profile_services
from tests.canvases.test_sharing import holder_of, make_link
from tests.conftest import HTMX, outcome

pytestmark = pytest.mark.django_db
KINDS = ["segment", "profile-entry"]


@pytest.fixture
def entry(segment, owner):
    return profile_services.add_entry(segment=segment, list="pain", text="No time", actor=owner)


def target_id(kind, segment, entry) -> int:
    return segment.pk if kind == "segment" else entry.pk


def url(canvas, kind, pk, name="thread-detail"):
    return reverse(f"canvases:{name}", args=[canvas.pk, kind, pk])


def add(canvas, kind, pk, author, text="Are they real?"):
    canvas.viewer = Viewer(user_id=author.pk)
    target = target_of(canvas, kind, pk)
    return comment_services.add_comment(canvas=canvas, target=target, text=text, author=author)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("persona", "expected"),
    [("owner", 200), ("editor", 200), ("viewer", 200), ("outsider", 404), ("anonymous", "login")],
)
def test_who_may_comment(client_as, canvas, segment, entry, kind, persona, expected):
    pk = target_id(kind, segment, entry)
    new = url(canvas, kind, pk, "comment-create")
    response = client_as(persona).post(new, {"text": "Check <b>this</b>"}, **HTMX)
    assert outcome(response) == expected
    assert Comment.objects.count() == (1 if expected == 200 else 0)
    if expected == 200:  # the panel, and the card's badge out of band, escaped
        html = response.content.decode()
        assert "Check &lt;b&gt;this&lt;/b&gt;" in html
        assert f'id="comments-{kind}-{pk}"' in html and 'hx-swap-oob="true"' in html
        assert '<span class="comment-count">1</span>' in html
        assert "canvasChanged" in response.headers["HX-Trigger"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("persona", ["owner", "viewer", "outsider", "anonymous"])
def test_reading_a_thread_plain_and_htmx(client_as, canvas, segment, entry, kind, persona):
    pk = target_id(kind, segment, entry)
    for headers in ({}, HTMX):
        response = client_as(persona).get(url(canvas, kind, pk), **headers)
        expected = {"outsider": 404, "anonymous": "login"}.get(persona, 200)
        assert outcome(response) == expected
        if expected == 200:
            assert (b"<html" in response.content) == (not headers)
            assert b"No comments yet" in response.content


@pytest.mark.parametrize("kind", KINDS)
def test_plain_comment_redirects_to_the_thread_page(client_as, canvas, segment, entry, kind):
    pk = target_id(kind, segment, entry)
    response = client_as("viewer").post(url(canvas, kind, pk, "comment-create"), {"text": "Hm"})
    assert response.status_code == 303 and response["Location"] == url(canvas, kind, pk)


@pytest.mark.parametrize("kind", KINDS)
def test_wrong_method_and_empty_text(client_as, canvas, segment, entry, kind):
    pk = target_id(kind, segment, entry)
    client = client_as("editor")
    assert client.get(url(canvas, kind, pk, "comment-create")).status_code == 405
    assert client.post(url(canvas, kind, pk)).status_code == 405
    response = client.post(url(canvas, kind, pk, "comment-create"), {"text": "  "}, **HTMX)
    assert response.status_code == 422 and b'role="alert"' in response.content
    assert Comment.objects.count() == 0


def test_another_canvases_segment_or_entry_is_not_found(client_as, team, canvas, owner, entry):
    from canvases import services

    other = services.create_canvas(team=team, title="Other", author=owner)
    for kind, pk in [("segment", entry.segment.pk), ("profile-entry", entry.pk)]:
        response = client_as("owner").post(url(other, kind, pk, "comment-create"), {"text": "x"})
        assert response.status_code == 404
    assert client_as("owner").get(url(canvas, "segment", 10**9)).status_code == 404
    assert client_as("owner").get(url(canvas, "nothing", segment_pk(entry))).status_code == 404


def segment_pk(entry) -> int:
    return entry.segment.pk


@pytest.mark.parametrize("kind", KINDS)
def test_a_share_link_holder_finds_no_thread(canvas, owner, segment, entry, kind):
    holder = holder_of(make_link(canvas, owner).token)
    pk = target_id(kind, segment, entry)
    assert holder.get(url(canvas, kind, pk)).status_code in (302, 404)
    response = holder.post(url(canvas, kind, pk, "comment-create"), {"text": "x"})
    assert outcome(response) in ("login", 404)
    assert Comment.objects.count() == 0
    page = holder.get(reverse("segments:segment-detail", args=[canvas.pk, segment.pk]))
    assert page.status_code == 200 and b'id="comments-segment-' not in page.content


def test_a_workshop_guest_comments_on_segments_not_on_profiles(canvas, owner, segment, entry):
    workshop = workshop_services.start_workshop(canvas=canvas, facilitator=owner)
    guest = Client()
    join = reverse("canvases:workshop-join", args=[workshop.join_token])
    assert guest.post(join, {"display_name": "Grace"}).status_code == 302
    new = url(canvas, "segment", segment.pk, "comment-create")
    assert guest.post(new, {"text": "From the room"}).status_code == 303
    assert Comment.objects.get().author_name == "Grace (guest)"
    profile = url(canvas, "profile-entry", entry.pk, "comment-create")
    assert guest.post(profile, {"text": "x"}).status_code == 404
    workshop_services.end(workshop=workshop, actor=owner)
    assert guest.post(new, {"text": "Late"}).status_code in (302, 403)
    assert Comment.objects.count() == 1


def test_edit_delete_resolve_on_a_segment(client_as, canvas, segment, viewer, editor):
    comment = add(canvas, "segment", segment.pk, viewer)
    edit = reverse("canvases:comment-edit", args=[canvas.pk, comment.pk])
    assert client_as("editor").post(edit, {"text": "Not mine"}).status_code == 403
    assert client_as("viewer").post(edit, {"text": "Changed"}, **HTMX).status_code == 200
    comment.refresh_from_db()
    assert comment.text == "Changed"
    resolve = url(canvas, "segment", segment.pk, "thread-resolve")
    assert client_as("editor").post(resolve, **HTMX).status_code == 200
    assert comment.thread.__class__.objects.get().resolved
    delete = reverse("canvases:comment-delete", args=[canvas.pk, comment.pk])
    assert client_as("viewer").post(delete).status_code == 303
    assert Comment.objects.count() == 0
    verbs = list(ChangeRecord.objects.order_by("pk").values_list("verb", flat=True))
    assert verbs[-4:] == ["comment.added", "comment.edited", "comment.resolved", "comment.deleted"]


@pytest.mark.parametrize(("kind", "event"), [("segment", "segmentsChanged"),
                                             ("profile-entry", "profileChanged")])  # fmt: skip
def test_a_comment_is_one_change_with_the_pages_event(
    canvas, segment, entry, viewer, kind, event, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr("canvases.changes.publish_on_commit", sent.append)
    before = ChangeRecord.objects.count()
    pk = target_id(kind, segment, entry)
    add(canvas, kind, pk, viewer)
    assert ChangeRecord.objects.count() == before + 1
    assert len(sent) == 1 and sent[0]["event"] == event
    assert sent[0]["thread"] == f"{kind}-{pk}" and sent[0]["blocks"] == ["customer_segments"]
    json.dumps(sent[0])


def test_badges_count_in_one_query_on_every_page(client_as, canvas, owner, segment, entry):
    others = [segment_services.create_segment(canvas=canvas, name=f"S{i}", actor=owner)
              for i in range(3)]  # fmt: skip
    add(canvas, "segment", segment.pk, owner)
    add(canvas, "segment", segment.pk, owner, "Second")
    add(canvas, "profile-entry", entry.pk, owner)
    client = client_as("owner")
    pages = [
        reverse("canvases:canvas-detail", args=[canvas.pk]),
        reverse("segments:segment-detail", args=[canvas.pk, segment.pk]),
        reverse("segments:profile-detail", args=[canvas.pk, segment.pk]),
    ]
    for page in pages:
        with CaptureQueriesContext(connection) as queries:
            html = client.get(page).content.decode()
        threads = [q for q in queries.captured_queries if 'FROM "canvases_thread"' in q["sql"]]
        assert len(threads) <= 1, page
    canvas_page = client.get(pages[0]).content.decode()
    assert '<span class="comment-count">2</span>' in canvas_page
    assert all(f'id="comments-segment-{s.pk}"' in canvas_page for s in others)
    assert (
        '<span class="comment-count">1</span>' in html
        and f"comments-profile-entry-{entry.pk}" in html
    )


def test_the_inbox_opens_an_entrys_thread_on_its_profile_page(canvas, owner, viewer, entry):
    comment = add(canvas, "profile-entry", entry.pk, owner, "@vera look")
    profile = reverse("segments:profile-detail", args=[canvas.pk, entry.segment.pk])
    assert comment_url(comment) == f"{profile}?thread=profile-entry-{entry.pk}#comment-{comment.pk}"
    on_segment = add(canvas, "segment", entry.segment.pk, owner, "@vera too")
    assert comment_url(on_segment).startswith(reverse("canvases:canvas-detail", args=[canvas.pk]))
    assert viewer.mentions.count() == 2
    client = Client()
    client.force_login(viewer)
    inbox = client.get(reverse("canvases:inbox")).content.decode()
    assert "a profile entry" in inbox and "a segment" in inbox and "profile-entry" not in inbox


def test_activity_finds_segment_comments_under_customer_segments(client_as, canvas, owner, entry):
    add(canvas, "segment", entry.segment.pk, owner, "On the segment")
    add(canvas, "profile-entry", entry.pk, owner, "On the pain")
    activity = reverse("canvases:canvas-activity", args=[canvas.pk])
    html = client_as("viewer").get(activity, {"block": "customer_segments"}).content.decode()
    assert "On the segment" in html and "On the pain" in html and "a profile entry" in html
    other = client_as("viewer").get(activity, {"block": "channels"}).content.decode()
    assert "On the segment" not in other


def test_deleting_a_segment_or_an_entry_drops_their_threads(canvas, owner, viewer, entry):
    add(canvas, "profile-entry", entry.pk, owner, "@vera gone soon")
    kept = profile_services.add_entry(segment=entry.segment, list="gain", text="Fame", actor=owner)
    add(canvas, "profile-entry", kept.pk, owner)
    profile_services.delete_entry(entry=entry, actor=owner)
    assert list(Comment.objects.values_list("thread__target_id", flat=True)) == [kept.pk]
    assert viewer.mentions.count() == 0
    add(canvas, "segment", kept.segment.pk, owner)
    segment_services.delete_segment(segment=kept.segment, actor=owner)
    assert Comment.objects.count() == 0


# In the canvas file (version 2)


def test_segment_and_entry_threads_go_through_the_file(canvas, owner, viewer, segment, entry):
    from canvases.exports import canvas_file
    from canvases.models import Thread

    add(canvas, "segment", segment.pk, viewer, "Are they real?")
    add(canvas, "profile-entry", entry.pk, owner, "Heard it twice")
    document = json.loads(json.dumps(canvas_file.export_canvas(canvas)))
    (segment_item,) = document["segments"]
    assert [c["text"] for c in segment_item["thread"]["comments"]] == ["Are they real?"]
    (pain,) = segment_item["profile"]
    assert pain["thread"]["comments"][0]["author"] == owner.username

    copy = canvas_file.import_canvas(canvas_file.parse(document), team=canvas.team, actor=owner)
    threads = {t.target_kind: t for t in Thread.objects.filter(canvas=copy)}
    new_segment = copy.segments.get()
    assert threads["segment"].target_id == new_segment.pk
    assert threads["profile-entry"].target_id == new_segment.profile_entries.get().pk
    assert [c.author for c in threads["segment"].comments.all()] == [viewer]
    # What the import made, the next export writes the same way.
    again = canvas_file.export_canvas(copy)["segments"][0]
    assert again["thread"]["comments"] == segment_item["thread"]["comments"]


def test_a_version_1_file_with_a_segment_thread_is_refused(canvas, owner, segment, entry):
    from canvases.exports import canvas_file

    add(canvas, "profile-entry", entry.pk, owner)
    document = json.loads(json.dumps(canvas_file.export_canvas(canvas)))
    document["version"] = 1
    with pytest.raises(canvas_file.ImportError_, match="came with version 2"):
        canvas_file.parse(document)


def test_the_pdf_appendix_prints_segment_and_entry_threads(
    client_as, canvas, owner, segment, entry
):
    import io

    from pypdf import PdfReader

    add(canvas, "segment", segment.pk, owner, "Are they real?")
    add(canvas, "profile-entry", entry.pk, owner, "Heard it twice")
    url = reverse("canvases:export-pdf", args=[canvas.pk])
    response = client_as("viewer").get(url, {"size": "a4", "comments": "1"})
    assert response.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Are they real?" in text and "Heard it twice" in text
    assert segment.name in text and "No time" in text  # what each thread is about
