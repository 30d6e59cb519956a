"""Segment views: every persona, htmx and plain requests, wrong methods, bad input."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from canvases import services as canvas_services
from segments import services
from segments.models import Segment, SegmentSnapshot
from tests.conftest import HTMX, outcome

pytestmark = pytest.mark.django_db

READ = {"owner": 200, "editor": 200, "viewer": 200, "outsider": 404, "anonymous": "login"}
EDIT = {"owner": 200, "editor": 200, "viewer": 403, "outsider": 404, "anonymous": "login"}


def url(name, segment, *more):
    return reverse(f"segments:{name}", args=[segment.canvas_id, segment.pk, *more])


@pytest.mark.parametrize("persona", READ)
def test_segment_page_by_persona(client_as, segment, persona):
    assert outcome(client_as(persona).get(url("segment-detail", segment))) == READ[persona]


def test_viewers_read_the_segment_page_without_forms(client_as, segment):
    html = client_as("viewer").get(url("segment-detail", segment)).content.decode()
    assert "Families with two kids" in html
    assert "Save figures</button>" not in html and "Record today's figures</button>" not in html


@pytest.mark.parametrize("persona", EDIT)
def test_adding_a_segment_by_persona(client_as, canvas, persona):
    path = reverse("segments:segment-create", args=[canvas.pk])
    response = client_as(persona).post(path, {"name": "Couriers"}, **HTMX)
    assert outcome(response) == EDIT[persona]
    assert Segment.objects.filter(name="Couriers").exists() == (EDIT[persona] == 200)


def test_adding_a_segment_htmx_returns_the_list_and_tells_the_page(client_as, canvas):
    path = reverse("segments:segment-create", args=[canvas.pk])
    response = client_as("editor").post(path, {"name": "Couriers"}, **HTMX)
    html = response.content.decode()
    assert 'id="segment-list"' in html and "Couriers" in html and "Focus" in html
    assert "boardChanged" in response["HX-Trigger"]


def test_adding_a_segment_plain_goes_to_its_page(client_as, canvas):
    path = reverse("segments:segment-create", args=[canvas.pk])
    response = client_as("editor").post(path, {"name": "Couriers"})
    assert response.status_code == 303
    assert response["Location"] == url("segment-detail", Segment.objects.get())


@pytest.mark.parametrize("headers", [HTMX, {}], ids=["htmx", "plain"])
def test_a_segment_needs_a_name(client_as, canvas, headers):
    path = reverse("segments:segment-create", args=[canvas.pk])
    response = client_as("editor").post(path, {"name": ""}, **headers)
    assert response.status_code == 422
    assert "Give the segment a name." in response.content.decode()
    if headers:
        assert response["HX-Retarget"] == "#segment-add"


@pytest.mark.parametrize("persona", EDIT)
def test_editing_a_segment_by_persona(client_as, segment, persona):
    data = {"name": "Families", "segment_type": "segmented", "paying_side": "paying",
            "colour": "blue", "has_curators": "on"}  # fmt: skip
    response = client_as(persona).post(url("segment-edit", segment), data, **HTMX)
    assert outcome(response) == EDIT[persona]
    segment.refresh_from_db()
    assert (segment.colour == "blue" and segment.has_curators) == (EDIT[persona] == 200)


def test_inline_edit_returns_the_segment_list(client_as, segment):
    client = client_as("editor")
    form = client.get(url("segment-edit", segment) + "?inline=1", **HTMX).content.decode()
    assert "segment-card--editing" in form
    data = {"inline": "1", "name": "Families", "segment_type": "segmented",
            "paying_side": "free_side", "colour": "grey"}  # fmt: skip
    html = client.post(url("segment-edit", segment), data, **HTMX).content.decode()
    assert 'id="segment-list"' in html and "free side" in html
    segment.refresh_from_db()
    assert segment.colour == "grey" and segment.description == ""


def test_inline_edit_with_a_bad_colour_is_422_in_place(client_as, segment):
    data = {"inline": "1", "name": "F", "segment_type": "segmented", "paying_side": "paying",
            "colour": "plaid"}  # fmt: skip
    response = client_as("editor").post(url("segment-edit", segment), data, **HTMX)
    assert response.status_code == 422
    assert response["HX-Retarget"] == f"#segment-{segment.pk}"


ECONOMICS = {"period": "month", "size": "1000", "revenue_per_customer": "40",
             "gross_margin_percent": "60", "churn_percent": "5"}  # fmt: skip


@pytest.mark.parametrize("persona", EDIT)
def test_saving_economics_by_persona(client_as, segment, persona):
    response = client_as(persona).post(url("segment-economics", segment), ECONOMICS, **HTMX)
    assert outcome(response) == EDIT[persona]


def test_economics_show_lifetime_value_and_profit_with_formulas(client_as, segment):
    html = client_as("editor").post(url("segment-economics", segment), ECONOMICS, **HTMX)
    text = html.content.decode()
    assert "EUR 480.00" in text and "1 ÷ churn 5 % = 20 months" in text
    assert "EUR 24,000.00 per month" in text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("size", "-1", "cannot be negative"),
        ("revenue_per_customer", "-0.01", "cannot be negative"),
        ("gross_margin_percent", "100.5", "from 0 to 100"),
        ("gross_margin_percent", "-1", "from 0 to 100"),
        ("churn_percent", "0", "Churn must be above 0 %"),
        ("expected_lifetime", "0", "above 0 periods"),
    ],
)
@pytest.mark.parametrize("headers", [HTMX, {}], ids=["htmx", "plain"])
def test_bad_economics_are_422_with_a_message(client_as, segment, field, value, message, headers):
    data = {**ECONOMICS, field: value}
    response = client_as("editor").post(url("segment-economics", segment), data, **headers)
    assert response.status_code == 422
    assert message in response.content.decode()
    segment.refresh_from_db()
    assert segment.size is None


def test_a_lifetime_value_that_cannot_be_computed_shows_a_dash(client_as, segment):
    data = {**ECONOMICS, "churn_percent": ""}
    html = (
        client_as("editor").post(url("segment-economics", segment), data, **HTMX).content.decode()
    )
    assert "—" in html and "Needs churn or expected lifetime" in html


@pytest.mark.parametrize("persona", EDIT)
def test_recording_todays_figures_by_persona(client_as, segment, persona):
    response = client_as(persona).post(url("snapshot-create", segment), **HTMX)
    assert outcome(response) == EDIT[persona]
    assert SegmentSnapshot.objects.exists() == (EDIT[persona] == 200)


def test_history_draws_a_chart_per_figure(client_as, segment, owner):
    from datetime import date

    services.update_segment(segment=segment, actor=owner, size=10, churn_percent=D("5"),
                            revenue_per_customer=D("4"), gross_margin_percent=D("50"))  # fmt: skip
    services.record_snapshot(segment=segment, actor=owner, on=date(2026, 1, 1))
    services.update_segment(segment=segment, actor=owner, size=30)
    services.record_snapshot(segment=segment, actor=owner, on=date(2026, 2, 1))
    html = client_as("viewer").get(url("segment-detail", segment)).content.decode()
    assert html.count("<polyline") == 5
    assert "Size (customers): from 10 to 30 over 2 records." in html


def test_editing_and_deleting_a_snapshot(client_as, segment, owner):
    snapshot = services.record_snapshot(segment=segment, actor=owner)
    client = client_as("editor")
    edit = url("snapshot-edit", segment, snapshot.pk)
    assert "Recorded on" in client.get(edit, **HTMX).content.decode()
    data = {"recorded_on": "2026-03-01", "period": "month", "size": "50"}
    assert client.post(edit, data, **HTMX).status_code == 200
    snapshot.refresh_from_db()
    assert (snapshot.size, str(snapshot.recorded_on)) == (50, "2026-03-01")
    bad = client.post(edit, {**data, "churn_percent": "0"}, **HTMX)
    assert bad.status_code == 422
    assert client_as("viewer").post(url("snapshot-delete", segment, snapshot.pk)).status_code == 403
    assert client.post(url("snapshot-delete", segment, snapshot.pk)).status_code == 303
    assert not SegmentSnapshot.objects.exists()


def test_two_snapshots_on_one_day_are_refused(client_as, segment, owner):
    from datetime import date

    first = services.record_snapshot(segment=segment, actor=owner, on=date(2026, 1, 1))
    second = services.record_snapshot(segment=segment, actor=owner, on=date(2026, 1, 2))
    data = {"recorded_on": "2026-01-01", "period": "month"}
    response = client_as("editor").post(url("snapshot-edit", segment, second.pk), data, **HTMX)
    assert response.status_code == 422
    assert "already a snapshot on that day" in response.content.decode()
    assert first.pk != second.pk


def test_criteria_add_and_remove(client_as, segment):
    client = client_as("editor")
    response = client.post(
        url("criterion-create", segment), {"base": "geographic", "text": "Coastal towns"}, **HTMX
    )
    assert "Coastal towns" in response.content.decode()
    criterion = segment.criteria.get()
    assert (
        client_as("viewer").post(url("criterion-delete", segment, criterion.pk)).status_code == 403
    )
    assert client.post(url("criterion-delete", segment, criterion.pk), **HTMX).status_code == 200
    assert not segment.criteria.exists()


@pytest.mark.parametrize(
    "data", [{"base": "astrological", "text": "Leo"}, {"base": "geographic", "text": ""},
             {"base": "geographic", "text": "x" * 201}]
)  # fmt: skip
def test_bad_criteria_are_422(client_as, segment, data):
    response = client_as("editor").post(url("criterion-create", segment), data, **HTMX)
    assert response.status_code == 422


@pytest.mark.parametrize("persona", EDIT)
def test_ranking_a_segment_by_persona(client_as, canvas, owner, persona):
    a, b = (services.create_segment(canvas=canvas, name=n, actor=owner) for n in "ab")
    response = client_as(persona).post(url("segment-move", b), {"step": "up"}, **HTMX)
    assert outcome(response) == EDIT[persona]
    order = list(canvas.segments.ranked().values_list("name", flat=True))
    assert order == (["b", "a"] if EDIT[persona] == 200 else ["a", "b"])


def test_ranking_by_position_and_the_focus_count(client_as, canvas, owner):
    made = [services.create_segment(canvas=canvas, name=f"S{i}", actor=owner) for i in range(4)]
    client = client_as("editor")
    html = client.post(url("segment-move", made[3]), {"position": "0"}, **HTMX).content.decode()
    assert html.index("S3") < html.index("S0")
    assert html.count("badge--focus") == 3  # the canvas default
    assert client.post(url("segment-move", made[0]), {"position": "x"}, **HTMX).status_code == 422
    assert client.post(url("segment-move", made[0]), {"step": "sideways"}).status_code == 422


@pytest.mark.parametrize("persona", EDIT)
def test_deleting_a_segment_by_persona(client_as, segment, persona):
    response = client_as(persona).post(url("segment-delete", segment))
    expected = 303 if EDIT[persona] == 200 else EDIT[persona]
    assert outcome(response) == expected


def test_another_canvas_segment_is_404(client_as, segment, team, owner):
    other = canvas_services.create_canvas(team=team, title="Other", author=owner)
    path = reverse("segments:segment-detail", args=[other.pk, segment.pk])
    assert client_as("editor").get(path).status_code == 404


@pytest.mark.parametrize(
    "name",
    ["segment-move", "segment-delete", "snapshot-create", "criterion-create", "segment-economics"],
)
def test_segment_writes_refuse_get(client_as, segment, name):
    assert client_as("editor").get(url(name, segment)).status_code == 405
