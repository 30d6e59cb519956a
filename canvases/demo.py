"""The demo team and its example canvas, loaded by `manage.py demo` (never by a migration)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from . import registry, services
from .changes import record_change
from .models import BlockKind, Canvas, Membership, Note, NoteColour, Team
from .teams import services as team_services

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo"
DEMO_TEAM = "Kitchen Commons (demo)"
DEMO_CANVAS = "Kitchen Commons: shared commercial kitchens"
DEMO_DESCRIPTION = (
    "A marketplace that rents idle commercial kitchens by the hour to food start-ups, "
    "caterers and bakers. Kitchen owners list for free and earn from their off-hours."
)

# Colours group notes by segment: yellow start-ups, pink caterers, blue bakers, green owners.
Y, P, B, G = NoteColour.YELLOW, NoteColour.PINK, NoteColour.BLUE, NoteColour.GREEN

DEMO_NOTES: dict[BlockKind, list[tuple[str, str]]] = {
    BlockKind.CUSTOMER_SEGMENTS: [
        ("Start-ups book most in their first year, then many sign a lease", Y),
        ("Caterers' demand peaks in May–June and December", P),
        ("Home bakers going professional: watch as a possible fourth segment", B),
        ("Owners need zero effort to list, or they do not bother", G),
    ],
    BlockKind.VALUE_PROPOSITIONS: [
        ("Certified kitchen by the hour: no lease, no deposit, no fit-out", Y),
        ("Book tonight, cook tomorrow: live availability across the city", Y),
        ("Equipment listed in detail (blast chiller, deck oven, 40 l kettle)", P),
        ("Hygiene paperwork handled: the kitchen's certificate covers your session", B),
        ("Owners earn from hours they would otherwise pay to keep empty", G),
        ("Vetted, insured cooks only: owners keep control of who comes in", G),
    ],
    BlockKind.CHANNELS: [
        ("Web app and phone app for search, booking and access codes", Y),
        ("Partnerships with food incubators and farmers' markets", Y),
        ("Local food-business Facebook groups and trade newsletters", P),
        ("Field sales visiting restaurants in their quiet afternoon hours", G),
    ],
    BlockKind.CUSTOMER_RELATIONSHIPS: [
        ("Self-service booking with chat support until 10 pm", Y),
        ("Onboarding call and a first-session walk-through for every new cook", B),
        ("Community: monthly meet-up of members, shared supplier deals", P),
        ("Dedicated account manager for owners listing 3+ kitchens", G),
    ],
    BlockKind.REVENUE_STREAMS: [
        ("15 % commission on every booked hour", Y),
        ("Membership: €49/month for 10 % off and priority booking", P),
        ("Cleaning and storage add-ons (cold storage by the shelf-week)", B),
        ("Insurance bundle for cooks without their own cover", Y),
    ],
    BlockKind.KEY_RESOURCES: [
        ("Marketplace platform: calendar sync, smart-lock access codes, payments", Y),
        ("Network of 60 listed kitchens in three cities", G),
        ("Hygiene and insurance know-how (templates, checklists, partners)", B),
        ("Reviews and trust data on cooks and kitchens", Y),
    ],
    BlockKind.KEY_ACTIVITIES: [
        ("Recruit and inspect kitchens before they go live", G),
        ("Vet cooks: certificates, insurance, references", B),
        ("Develop and run the booking platform", Y),
        ("Resolve disputes about cleanliness and damage within 24 h", P),
    ],
    BlockKind.KEY_PARTNERS: [
        ("Insurance broker offering per-session liability cover", B),
        ("Smart-lock supplier for keyless kitchen access", Y),
        ("Food incubators and business schools", Y),
        ("Commercial cleaning company on call", P),
    ],
    BlockKind.COST_STRUCTURE: [
        ("Engineering team (4 people): the largest fixed cost", Y),
        ("Kitchen inspections and onboarding visits", G),
        ("Payment processing fees (about 2 % of bookings)", Y),
        ("Damage guarantee fund: 3 % of commission set aside", P),
        ("Marketing to cooks: events, ads, incubator sponsorships", B),
    ],
}


@dataclass(frozen=True)
class DemoResult:
    user_created: bool
    canvas_created: bool
    canvas: Canvas


@transaction.atomic
def load_demo() -> DemoResult:
    """Create the demo user, team and canvas; running it again changes nothing."""
    User = get_user_model()
    user, user_created = User.objects.get_or_create(username=DEMO_USERNAME)
    if user_created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    team = _demo_team(user)
    # Any canvas in the demo team, even renamed or in the trash, means the demo was loaded.
    canvas = Canvas.objects.filter(team=team).order_by("pk").first()
    if canvas is not None:
        return DemoResult(user_created=user_created, canvas_created=False, canvas=canvas)
    canvas = services.create_canvas(
        team=team, title=DEMO_CANVAS, description=DEMO_DESCRIPTION, author=user
    )
    _fill(canvas, user)
    for extension in registry.extensions():  # segments, profiles and the like
        extension.demo(canvas, user)
    return DemoResult(user_created=user_created, canvas_created=True, canvas=canvas)


def _demo_team(user) -> Team:
    membership = (
        Membership.objects.filter(user=user, team__name=DEMO_TEAM).select_related("team").first()
    )
    if membership:
        return membership.team
    return team_services.create_team(name=DEMO_TEAM, owner=user)


def _fill(canvas: Canvas, author) -> None:
    blocks = {block.kind: block for block in canvas.blocks.all()}
    Note.objects.bulk_create(
        Note(block=blocks[kind], text=text, colour=colour, position=index, author=author)
        for kind, notes in DEMO_NOTES.items()
        for index, (text, colour) in enumerate(notes)
    )
    record_change(canvas, actor=author, verb="canvas.filled", summary="filled in the demo canvas")
