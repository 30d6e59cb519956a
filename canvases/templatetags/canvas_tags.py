from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

from canvases import changes
from canvases.changes import event_names

register = template.Library()


@register.filter
def ago(moment: datetime | None) -> str:
    """“just now” for the last minute, else “5 minutes ago” (timesince says “0 minutes”)."""
    if moment is None:
        return ""
    if timezone.now() - moment < timedelta(minutes=1):
        return "just now"
    return f"{timesince(moment)} ago"


@register.simple_tag
def live_event_names() -> str:
    """What a page's event stream swaps on: the stream's own events and every change's."""
    own = ["hello", "presence", "resync", "workshopEnded"]
    return ",".join(dict.fromkeys([*own, *event_names()]))


@register.simple_tag
def writer_token(canvas) -> str:
    """The viewer's token in events about notes they write privately (changes.writer_token)."""
    viewer = getattr(canvas, "viewer", None)
    if viewer is None or (viewer.user_id is None and viewer.guest_id is None):
        return ""
    return changes.writer_token(canvas.pk, user_id=viewer.user_id, guest_id=viewer.guest_id)
