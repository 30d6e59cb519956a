from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

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
