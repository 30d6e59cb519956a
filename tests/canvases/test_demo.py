import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from canvases.models import BlockKind, Canvas, Membership, Note, Role

pytestmark = pytest.mark.django_db


def test_demo_loads_a_complete_canvas_once(capsys):
    call_command("demo")
    call_command("demo")
    assert "demo / demo" in capsys.readouterr().out
    user = get_user_model().objects.get(username="demo")
    assert Membership.objects.get(user=user).role == Role.OWNER
    canvas = Canvas.objects.get()
    for kind in BlockKind:
        assert Note.objects.of_canvas(canvas).filter(block__kind=kind).count() >= 3
    assert Note.objects.count() == Note.objects.of_canvas(canvas).count()


def test_demo_password_works(rf):
    call_command("demo")
    assert authenticate(rf.get("/"), username="demo", password="demo") is not None


def test_migrations_create_no_demo_data():
    assert not get_user_model().objects.filter(username="demo").exists()
    assert not Canvas.objects.exists()


def test_demo_is_not_loaded_again_after_the_canvas_was_renamed():
    call_command("demo")
    Canvas.objects.update(title="Our own title now")
    call_command("demo")
    assert Canvas.objects.count() == 1


def test_demo_has_three_segments_with_history_and_links():
    from segments.models import Segment

    call_command("demo")
    segments = list(Segment.objects.ranked())
    assert len(segments) == 3
    assert [s.is_free_side for s in segments].count(True) == 1
    for segment in segments:
        assert segment.snapshots.count() >= 3
        assert segment.notes.count() >= 3
        assert segment.criteria.exists()


def test_demo_segments_have_profiles_value_maps_and_an_empathy_map():
    from segments.models import EmpathyEntry, Segment

    call_command("demo")
    for segment in Segment.objects.all():
        assert {e.list for e in segment.profile_entries.all()} == {"job", "pain", "gain"}
        assert segment.value_map_items.filter(addresses__isnull=False).exists()
    assert EmpathyEntry.objects.values("segment").distinct().count() == 1
