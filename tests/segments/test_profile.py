"""Customer profile, value map and empathy map: services and views for every persona."""

import pytest
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canvases.models import BlockKind, Note
from segments import services
from segments.models import EmpathyEntry, ProfileEntry, ValueMapItem
from segments.profiles import services as profile_services
from tests.conftest import HTMX, outcome

pytestmark = pytest.mark.django_db

EDIT = {"owner": 200, "editor": 200, "viewer": 403, "outsider": 404, "anonymous": "login"}
READ = {"owner": 200, "editor": 200, "viewer": 200, "outsider": 404, "anonymous": "login"}


def url(name, segment, *more):
    return reverse(f"segments:{name}", args=[segment.canvas_id, segment.pk, *more])


@pytest.fixture
def pain(segment, owner):
    return profile_services.add_entry(
        segment=segment, list="pain", text="Flat tyres", score=5, actor=owner
    )


# Services


def test_entries_append_and_sort_by_score(segment, owner):
    low = profile_services.add_entry(segment=segment, list="gain", text="low", score=2, actor=owner)
    high = profile_services.add_entry(
        segment=segment, list="gain", text="high", score=5, actor=owner
    )
    assert (low.position, high.position) == (0, 1)
    profile_services.sort_entries_by_score(segment=segment, list="gain", actor=owner)
    ordered = segment.profile_entries.filter(list="gain").order_by("position")
    assert [e.text for e in ordered] == ["high", "low"]


def test_a_reliever_addresses_only_this_segments_pains(segment, pain, owner, canvas):
    other = services.create_segment(canvas=canvas, name="Other", actor=owner)
    foreign = profile_services.add_entry(
        segment=other, list="pain", text="Theirs", score=5, actor=owner
    )
    job = profile_services.add_entry(
        segment=segment, list="job", text="Commute", score=5, actor=owner
    )
    with pytest.raises(profile_services.WrongEntryError):
        profile_services.add_value_item(
            segment=segment, kind="reliever", text="x", addresses=[foreign], actor=owner
        )
    with pytest.raises(profile_services.WrongEntryError):
        profile_services.add_value_item(
            segment=segment, kind="reliever", text="x", addresses=[job], actor=owner
        )
    item = profile_services.add_value_item(
        segment=segment, kind="reliever", text="Puncture-proof", addresses=[pain], actor=owner
    )
    assert list(item.addresses.all()) == [pain]


def test_pinning_puts_a_linked_value_proposition_on_the_canvas_once(segment, owner):
    item = profile_services.add_value_item(
        segment=segment, kind="product", text="Cargo bike", actor=owner
    )
    note = profile_services.pin_value_item(item=item, actor=owner)
    assert note.block.kind == BlockKind.VALUE_PROPOSITIONS
    assert list(note.segments.all()) == [segment]
    assert profile_services.pin_value_item(item=item, actor=owner) == note
    assert Note.objects.count() == 1


def test_promoting_an_empathy_entry_keeps_a_link_back(segment, owner):
    said = profile_services.add_empathy(
        segment=segment, quadrant="says_does", text="I hate hills", actor=owner
    )
    entry = profile_services.promote_empathy(entry=said, list="pain", actor=owner)
    assert (entry.list, entry.text, entry.from_empathy) == ("pain", "I hate hills", said)
    assert list(said.promoted_entries.all()) == [entry]


# Views


@pytest.mark.parametrize("persona", READ)
def test_profile_page_by_persona(client_as, segment, persona):
    assert outcome(client_as(persona).get(url("profile-detail", segment))) == READ[persona]


def test_viewers_see_no_forms_on_the_profile(client_as, segment, pain):
    html = client_as("viewer").get(url("profile-detail", segment)).content.decode()
    assert "Flat tyres" in html and 'id="entry-add-job"' not in html


@pytest.mark.parametrize("persona", EDIT)
def test_adding_a_job_by_persona(client_as, segment, persona):
    data = {
        "text": "Carry two kids",
        "score": "4",
        "job_kind": "functional",
        "context": "school run",
    }
    response = client_as(persona).post(url("entry-create", segment, "job"), data, **HTMX)
    assert outcome(response) == EDIT[persona]
    assert ProfileEntry.objects.filter(text="Carry two kids").exists() == (EDIT[persona] == 200)


def test_adding_answers_with_the_refreshed_sections(client_as, segment):
    data = {"text": "Carry two kids", "score": "5"}
    html = (
        client_as("editor").post(url("entry-create", segment, "job"), data, **HTMX).content.decode()
    )
    assert 'id="entries-job" data-sortable' in html and 'id="fit-panel"' in html
    assert "Important jobs no product or service addresses" in html
    plain = client_as("editor").post(url("entry-create", segment, "job"), data)
    assert plain.status_code == 303


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "x", "score": "0"}, "Scores go from 1 to 5."),
        ({"text": "x", "score": "6"}, "Scores go from 1 to 5."),
        ({"text": "", "score": "3"}, "cannot be empty"),
        ({"text": "   ", "score": "3"}, "cannot be empty"),
        ({"text": "x" * 501, "score": "3"}, "under 500 characters"),
        ({"text": "x", "score": "3", "job_kind": "supporting"}, "needs its role"),
        ({"text": "x", "score": "3", "job_kind": "magical"}, "Pick functional"),
    ],
)
@pytest.mark.parametrize("headers", [HTMX, {}], ids=["htmx", "plain"])
def test_bad_entries_are_422_with_a_message(client_as, segment, data, message, headers):
    response = client_as("editor").post(url("entry-create", segment, "job"), data, **headers)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not ProfileEntry.objects.exists()
    if headers:
        assert response["HX-Retarget"] == "#entry-add-job"


def test_an_unknown_list_is_404(client_as, segment):
    assert (
        client_as("editor").post(url("entry-create", segment, "wishes"), {"text": "x"}).status_code
        == 404
    )


def test_editing_an_entry(client_as, segment, pain):
    client = client_as("editor")
    assert (
        "entry--editing" in client.get(url("entry-edit", segment, pain.pk), **HTMX).content.decode()
    )
    assert client_as("viewer").get(url("entry-edit", segment, pain.pk), **HTMX).status_code == 403
    response = client.post(
        url("entry-edit", segment, pain.pk), {"text": "Flat tyres again", "score": "3"}, **HTMX
    )
    assert response.status_code == 200
    pain.refresh_from_db()
    assert (pain.text, pain.score) == ("Flat tyres again", 3)
    bad = client.post(url("entry-edit", segment, pain.pk), {"text": "y", "score": "9"}, **HTMX)
    assert bad.status_code == 422 and bad["HX-Retarget"] == f"#entry-{pain.pk}"
    pain.refresh_from_db()
    assert pain.score == 3


def test_moving_sorting_and_deleting_entries(client_as, segment, owner, pain):
    second = profile_services.add_entry(
        segment=segment, list="pain", text="Rain", score=2, actor=owner
    )
    client = client_as("editor")
    assert (
        client.post(url("entry-move", segment, second.pk), {"step": "up"}, **HTMX).status_code
        == 200
    )
    assert list(segment.profile_entries.order_by("position").values_list("text", flat=True)) == [
        "Rain",
        "Flat tyres",
    ]
    assert (
        client.post(url("entry-move", segment, second.pk), {"position": "x"}, **HTMX).status_code
        == 422
    )
    assert client.post(url("entry-sort", segment, "pain"), **HTMX).status_code == 200
    assert segment.profile_entries.order_by("position").first().text == "Flat tyres"
    assert client_as("viewer").post(url("entry-delete", segment, pain.pk)).status_code == 403
    assert client.post(url("entry-delete", segment, pain.pk)).status_code == 303
    assert not ProfileEntry.objects.filter(pk=pain.pk).exists()


@pytest.mark.parametrize("persona", EDIT)
def test_adding_a_reliever_for_a_pain_by_persona(client_as, segment, pain, persona):
    data = {"text": "Puncture-proof tyres", "addresses": [pain.pk]}
    response = client_as(persona).post(url("item-create", segment, "reliever"), data, **HTMX)
    assert outcome(response) == EDIT[persona]
    if EDIT[persona] == 200:
        assert "Severe pains no pain reliever addresses" not in response.content.decode()
        assert list(ValueMapItem.objects.get().addresses.all()) == [pain]


def test_a_reliever_linked_to_another_segments_pain_is_422(client_as, segment, canvas, owner):
    other = services.create_segment(canvas=canvas, name="Other", actor=owner)
    theirs = profile_services.add_entry(
        segment=other, list="pain", text="Theirs", score=5, actor=owner
    )
    data = {"text": "Relief", "addresses": [theirs.pk]}
    response = client_as("editor").post(url("item-create", segment, "reliever"), data, **HTMX)
    assert response.status_code == 422
    assert "Pain relievers can only address this segment&#x27;s pains." in response.content.decode()
    assert not ValueMapItem.objects.exists()


def test_a_gain_creator_cannot_address_a_pain(client_as, segment, pain):
    data = {"text": "Joy", "addresses": [pain.pk]}
    response = client_as("editor").post(url("item-create", segment, "creator"), data, **HTMX)
    assert response.status_code == 422


def test_an_empty_value_map_item_is_422(client_as, segment):
    response = client_as("editor").post(
        url("item-create", segment, "product"), {"text": ""}, **HTMX
    )
    assert response.status_code == 422 and "cannot be empty" in response.content.decode()


def test_editing_deleting_and_pinning_value_map_items(client_as, segment, pain, owner):
    item = profile_services.add_value_item(
        segment=segment, kind="reliever", text="Tyres", actor=owner
    )
    client = client_as("editor")
    assert (
        "entry--editing" in client.get(url("item-edit", segment, item.pk), **HTMX).content.decode()
    )
    client.post(
        url("item-edit", segment, item.pk), {"text": "Better tyres", "addresses": [pain.pk]}, **HTMX
    )
    item.refresh_from_db()
    assert item.text == "Better tyres" and list(item.addresses.all()) == [pain]
    assert client_as("viewer").post(url("item-pin", segment, item.pk)).status_code == 403
    assert client.post(url("item-pin", segment, item.pk), **HTMX).status_code == 200
    assert Note.objects.get().text == "Better tyres"
    assert client.post(url("item-delete", segment, item.pk)).status_code == 303
    assert Note.objects.exists()  # the pinned note stays on the canvas


def test_empathy_map_add_promote_delete(client_as, segment):
    client = client_as("editor")
    client.post(url("empathy-create", segment, "hears"), {"text": "Hills are hard"}, **HTMX)
    entry = EmpathyEntry.objects.get()
    assert (
        client.post(url("empathy-promote", segment, entry.pk), {"list": "pain"}, **HTMX).status_code
        == 200
    )
    assert ProfileEntry.objects.get().from_empathy == entry
    assert (
        client.post(url("empathy-promote", segment, entry.pk), {"list": "wish"}, **HTMX).status_code
        == 422
    )
    assert (
        client.post(url("empathy-create", segment, "hears"), {"text": ""}, **HTMX).status_code
        == 422
    )
    assert client.post(url("empathy-create", segment, "smells"), {"text": "x"}).status_code == 404
    assert client_as("viewer").post(url("empathy-delete", segment, entry.pk)).status_code == 403
    assert client.post(url("empathy-delete", segment, entry.pk)).status_code == 303
    assert ProfileEntry.objects.exists()  # promoted entries stay


@pytest.mark.parametrize(
    "name",
    ["entry-delete", "entry-move", "item-delete", "item-pin", "empathy-delete", "empathy-promote"],
)
def test_profile_writes_refuse_get(client_as, segment, pain, owner, name):
    item = profile_services.add_value_item(segment=segment, kind="reliever", text="t", actor=owner)
    said = profile_services.add_empathy(segment=segment, quadrant="sees", text="s", actor=owner)
    target = {"entry": pain.pk, "item": item.pk, "empathy": said.pk}[name.split("-")[0]]
    assert client_as("editor").get(url(name, segment, target)).status_code == 405


def test_another_segments_entry_is_404(client_as, segment, canvas, owner):
    other = services.create_segment(canvas=canvas, name="Other", actor=owner)
    theirs = profile_services.add_entry(
        segment=other, list="pain", text="Theirs", score=5, actor=owner
    )
    assert client_as("editor").post(url("entry-delete", segment, theirs.pk)).status_code == 404


def count_queries(client, path):
    client.get(path)
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def fill(segment, owner, n_entries, n_items):
    entries = [
        profile_services.add_entry(
            segment=segment, list=kind, text=f"{kind} {i}", score=1 + i % 5, actor=owner
        )
        for i in range(n_entries)
        for kind in ("job", "pain", "gain")
    ]
    for i in range(n_items):
        kind = ["product", "reliever", "creator"][i % 3]
        wanted = {"product": "job", "reliever": "pain", "creator": "gain"}[kind]
        targets = [e for e in entries if e.list == wanted][i % 5 : i % 5 + 2]
        profile_services.add_value_item(
            segment=segment, kind=kind, text=f"item {i}", addresses=targets, actor=owner
        )
    for quadrant in ("sees", "hears"):
        profile_services.add_empathy(segment=segment, quadrant=quadrant, text=quadrant, actor=owner)


@pytest.mark.parametrize("page", ["profile-detail", "segment-detail"])
def test_profile_queries_stay_constant(client_as, segment, canvas, owner, page):
    small = services.create_segment(canvas=canvas, name="Small", actor=owner)
    fill(small, owner, n_entries=1, n_items=3)
    fill(segment, owner, n_entries=50, n_items=30)
    client = client_as("editor")
    assert count_queries(client, url(page, small)) == count_queries(client, url(page, segment))
