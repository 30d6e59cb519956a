import re
from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
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


# An http(s) address up to the first space or character that cannot end one unquoted.
LINK = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
TRAILING = ".,;:!?)]}"


@register.filter
def linked(text: str) -> SafeString:
    """Comment text with its http(s) addresses made links, and nothing else: every piece is
    escaped (format_html), so a user's HTML stays text; links open apart and earn no rank."""
    pieces, last = [], 0
    for match in LINK.finditer(text):
        url = match.group(0).rstrip(TRAILING)
        end = match.start() + len(url)
        pieces.append(escape(text[last : match.start()]))
        pieces.append(
            format_html('<a href="{}" rel="nofollow noopener ugc" target="_blank">{}</a>', url, url)
        )
        last = end
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # each piece escaped above


@register.filter
def in_words(slug: str) -> str:
    """A slug as words: "profile-entry" is "profile entry"."""
    return slug.replace("-", " ").replace("_", " ")
