import pytest

from segments import services


@pytest.fixture
def segment(canvas, owner):
    return services.create_segment(canvas=canvas, name="Families with two kids", actor=owner)
