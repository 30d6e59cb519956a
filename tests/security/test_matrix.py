"""Every URL x every persona x every method answers as one policy table says.

POLICY has a row per route name: who may read it (GET, GET from htmx, HEAD) and who may write
it (POST), as a level. The expected answer for each persona follows from the level: allowed
through (below 400, or a 409/422/423 from the view's own checks), another team's member 404,
a role too low 403, anonymous users and guests sent to log in from member-only pages, a guest
of another workshop 404, a method the route does not take 405. PUT, PATCH and DELETE are
405 everywhere. A 500 is never an answer.

A share-link holder (someone who opened a share link to the world's canvas, without an account)
reads the routes marked `shared` and, like anyone, the public pages; every other route and
method answers them 404, writes included: they learn nothing about what else exists.

New URL patterns are walked automatically (tests/security/urls.py); one without a row fails.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import pytest
from django.db import transaction

from canvas_site.live import MemoryBus
from canvases.live import views as live_views
from canvases.workshops import services as workshop_services
from tests.conftest import outcome

from .conftest import PERSONAS
from .urls import all_routes, get_query, post_body

pytestmark = pytest.mark.django_db

ALLOWED = "allowed"  # through the gate: below 400, or the view's own 409, 422 or 423

# Who may: from everyone down to the facilitator alone.
PUBLIC = "public"  # anyone, with or without an account
MEMBER = "member"  # anyone logged in, about their own account (no team involved)
VIEWER = "viewer"  # members of the team from viewer up
EDITOR = "editor"
OWNER = "owner"
FACILITATOR = "facilitator"  # the running workshop's facilitator (the owner in the world)
GUEST_OR_VIEWER = "guest-or-viewer"  # members from viewer up, and guests of the workshop
GUEST_OR_EDITOR = "guest-or-editor"  # members from editor up, and guests of the workshop
# Guests touch their own notes only; the world's note is the owner's, so a guest gets 403.
OWN_NOTE_GUEST_OR_EDITOR = "own-note-guest-or-editor"

RANK = {"viewer": 1, "editor": 2, "owner": 3}
NEEDS = {
    VIEWER: 1,
    GUEST_OR_VIEWER: 1,
    EDITOR: 2,
    GUEST_OR_EDITOR: 2,
    OWN_NOTE_GUEST_OR_EDITOR: 2,
    OWNER: 3,
}
GUEST_LEVELS = {GUEST_OR_VIEWER, GUEST_OR_EDITOR, OWN_NOTE_GUEST_OR_EDITOR}
GUESTS = {"guest", "other_guest"}


@dataclass(frozen=True)
class Rule:
    read: str | None = None  # who may GET and HEAD; None: 405
    write: str | None = None  # who may POST; None: 405
    # Answers that differ from the level's, by persona, each with its reason beside it.
    read_exceptions: dict = field(default_factory=dict)
    write_exceptions: dict = field(default_factory=dict)
    shared: bool = False  # a share-link holder may read it (GET, HEAD) on their canvas


def expected(level: str | None, persona: str) -> int | str:
    """What a persona is answered on a route of this level."""
    if level is None:
        return 405
    if level == PUBLIC:
        return ALLOWED
    if persona in GUESTS and level in GUEST_LEVELS:
        if persona == "other_guest":
            return 404  # another workshop's canvas does not exist for them
        return 403 if level == OWN_NOTE_GUEST_OR_EDITOR else ALLOWED
    if persona == "anonymous" or persona in GUESTS:
        return "login"
    if level == MEMBER:
        return ALLOWED
    if persona == "outsider":
        return 404
    if level == FACILITATOR:
        return ALLOWED if persona == "owner" else 403
    return ALLOWED if RANK[persona] >= NEEDS[level] else 403


R = Rule
NOT_THEIR_COMMENT = {"viewer": 403, "editor": 403, "guest": 403}
POLICY: dict[str, Rule] = {
    # Accounts (Django's own views)
    "home": R(read=MEMBER),  # a redirect to one's team, or to log in
    "login": R(read=PUBLIC, write=PUBLIC),
    # Logging out ends on the login page, whoever asks.
    "logout": R(write=PUBLIC, write_exceptions=dict.fromkeys(PERSONAS, "login")),
    "password_change": R(read=MEMBER, write=MEMBER),
    "password_change_done": R(read=MEMBER),
    "signup": R(read=PUBLIC, write=PUBLIC),
    # Forgot your password: the same answers whoever asks, and whether the address exists.
    "password_reset": R(read=PUBLIC, write=PUBLIC),
    "password_reset_done": R(read=PUBLIC),
    "password_reset_confirm": R(read=PUBLIC, write=PUBLIC),  # the link is the key
    "password_reset_complete": R(read=PUBLIC),
    # One's own address and notifications; the verification link is the key.
    "canvases:account-email": R(read=MEMBER, write=MEMBER),
    "canvases:account-notifications": R(write=MEMBER),
    "canvases:email-verification-resend": R(write=MEMBER),
    "canvases:email-verify": R(read=PUBLIC, write=PUBLIC),
    # Teams, members, invitations
    "canvases:team-list": R(read=MEMBER),
    "canvases:team-create": R(write=MEMBER),
    "canvases:team-members": R(read=VIEWER),
    "canvases:team-trash": R(read=OWNER),
    # The URL names the viewer's own membership: a viewer may leave the team.
    "canvases:member-remove": R(write=OWNER, write_exceptions={"viewer": ALLOWED}),
    "canvases:member-role": R(write=OWNER),
    "canvases:invitation-create": R(write=OWNER),
    "canvases:invitation-revoke": R(write=OWNER),
    "canvases:invitation-accept": R(read=PUBLIC, write=PUBLIC),  # the link is the key
    # Canvases
    "canvases:canvas-list": R(read=VIEWER),
    "canvases:canvas-create": R(write=EDITOR),
    "canvases:canvas-import": R(read=MEMBER, write=MEMBER),  # into a team one edits
    "canvases:canvas-detail": R(read=GUEST_OR_VIEWER, shared=True),
    "canvases:canvas-board": R(read=GUEST_OR_VIEWER, shared=True),
    "segments:segment-checks": R(read=GUEST_OR_VIEWER, shared=True),
    "canvases:canvas-header": R(read=VIEWER),
    "canvases:canvas-edit": R(read=EDITOR, write=EDITOR),
    "canvases:canvas-duplicate": R(write=EDITOR),
    "canvases:canvas-delete": R(write=OWNER),
    "canvases:canvas-restore": R(write=OWNER),
    "canvases:canvas-trash": R(read=VIEWER),
    # Live: an EventSource cannot follow a redirect to the login page, so a stream says 403.
    "canvases:canvas-events": R(read=GUEST_OR_VIEWER, read_exceptions={"anonymous": 403}),
    "canvases:presence-bar": R(read=GUEST_OR_VIEWER),
    "canvases:presence-beat": R(write=GUEST_OR_VIEWER),
    # Notes
    "canvases:note-create": R(write=GUEST_OR_EDITOR),
    "canvases:note-detail": R(read=GUEST_OR_VIEWER),
    "canvases:note-edit": R(read=OWN_NOTE_GUEST_OR_EDITOR, write=OWN_NOTE_GUEST_OR_EDITOR),
    "canvases:note-colour": R(write=OWN_NOTE_GUEST_OR_EDITOR),
    "canvases:note-move": R(write=EDITOR),
    "canvases:note-delete": R(write=OWN_NOTE_GUEST_OR_EDITOR),
    "canvases:note-restore": R(write=OWN_NOTE_GUEST_OR_EDITOR),
    # Comments: every reader comments (guests too); the world's comment and thread are the
    # owner's, so only the owner changes the comment, and only editors resolve the thread.
    "canvases:thread-detail": R(read=GUEST_OR_VIEWER),
    "canvases:comment-create": R(write=GUEST_OR_VIEWER),
    "canvases:comment-edit": R(
        read=GUEST_OR_VIEWER,
        write=GUEST_OR_VIEWER,
        read_exceptions=NOT_THEIR_COMMENT,
        write_exceptions=NOT_THEIR_COMMENT,
    ),
    "canvases:comment-delete": R(write=GUEST_OR_VIEWER, write_exceptions=NOT_THEIR_COMMENT),
    "canvases:thread-resolve": R(write=GUEST_OR_EDITOR, write_exceptions={"guest": 403}),
    "canvases:thread-reopen": R(write=GUEST_OR_EDITOR, write_exceptions={"guest": 403}),
    "canvases:mention-candidates": R(read=VIEWER),  # usernames: for members only
    # The inbox: one's own mentions; someone else's is not there (404).
    "canvases:inbox": R(read=MEMBER),
    "canvases:canvas-activity": R(read=VIEWER),
    "canvases:inbox-read-all": R(write=MEMBER),
    "canvases:mention-read": R(
        write=MEMBER, write_exceptions={"owner": 404, "viewer": 404, "outsider": 404}
    ),
    # Workshops
    "canvases:workshop-start": R(write=EDITOR),
    "canvases:workshop-bar": R(read=GUEST_OR_VIEWER),
    "canvases:workshop-control": R(write=FACILITATOR),
    "canvases:note-vote": R(write=GUEST_OR_VIEWER),
    "canvases:workshop-join": R(read=PUBLIC, write=PUBLIC),
    "canvases:workshop-join-code": R(read=PUBLIC, write=PUBLIC),
    "canvases:workshop-summary": R(read=VIEWER),
    "canvases:workshop-summary-pdf": R(read=VIEWER),
    "canvases:workshop-list": R(read=VIEWER),
    # Share links: the owner manages them; the link itself is the key
    "canvases:share-list": R(read=OWNER),
    "canvases:share-create": R(write=OWNER),
    "canvases:share-revoke": R(write=OWNER),
    "canvases:share-open": R(read=PUBLIC),
    # Export and import
    "canvases:canvas-export": R(read=VIEWER),
    "canvases:export-pdf": R(read=VIEWER, shared=True),
    "canvases:export-json": R(read=VIEWER),
    "canvases:export-csv": R(read=VIEWER),
    "canvases:export-markdown": R(read=VIEWER),
    # History and versions
    "canvases:canvas-history": R(read=VIEWER),
    "canvases:change-undo": R(write=EDITOR),
    "canvases:version-create": R(write=EDITOR),
    "canvases:version-restore": R(write=EDITOR),
    "canvases:version-compare": R(read=VIEWER),
    # Segments
    "segments:segment-create": R(write=EDITOR),
    "segments:segment-detail": R(read=VIEWER, shared=True),
    "segments:segment-refresh": R(read=VIEWER, shared=True),
    "segments:segment-edit": R(read=EDITOR, write=EDITOR),
    "segments:segment-economics": R(write=EDITOR),
    "segments:segment-move": R(write=EDITOR),
    "segments:segment-delete": R(write=EDITOR),
    "segments:criterion-create": R(write=EDITOR),
    "segments:criterion-delete": R(write=EDITOR),
    "segments:snapshot-create": R(write=EDITOR),
    "segments:snapshot-edit": R(read=EDITOR, write=EDITOR),
    "segments:snapshot-delete": R(write=EDITOR),
    # Customer profiles, value maps, empathy maps
    "segments:profile-detail": R(read=VIEWER, shared=True),
    "segments:profile-refresh": R(read=VIEWER, shared=True),
    "segments:entry-create": R(write=EDITOR),
    "segments:entry-edit": R(read=EDITOR, write=EDITOR),
    "segments:entry-delete": R(write=EDITOR),
    "segments:entry-move": R(write=EDITOR),
    "segments:entry-sort": R(write=EDITOR),
    "segments:item-create": R(write=EDITOR),
    "segments:item-edit": R(read=EDITOR, write=EDITOR),
    "segments:item-delete": R(write=EDITOR),
    "segments:item-pin": R(write=EDITOR),
    "segments:empathy-create": R(write=EDITOR),
    "segments:empathy-delete": R(write=EDITOR),
    "segments:empathy-promote": R(write=EDITOR),
}

HTMX = {"HTTP_HX_REQUEST": "true"}
READS = ["GET", "GET htmx", "HEAD"]
WRITES = ["POST", "PUT", "PATCH", "DELETE"]


def is_public(rule: Rule) -> bool:
    return PUBLIC in (rule.read, rule.write)


def expected_for_holder(rule: Rule, method: str) -> int | str:
    """A holder: what anyone gets on public pages, their canvas's shared reads, else 404."""
    if is_public(rule):
        return expected_for(rule, "anonymous", method)
    return ALLOWED if rule.shared and method in READS else 404


def expected_for(rule: Rule, persona: str, method: str) -> int | str:
    if persona == "holder":
        return expected_for_holder(rule, method)
    if method in ("PUT", "PATCH", "DELETE"):
        return 405
    if method == "POST":
        return rule.write_exceptions.get(persona, expected(rule.write, persona))
    return rule.read_exceptions.get(persona, expected(rule.read, persona))


def answers_as_expected(want: int | str, got: int | str) -> bool:
    if want == ALLOWED:
        return isinstance(got, int) and (got < 400 or got in (409, 422, 423))
    return got == want


def send(client, method: str, url: str, data: dict):
    """One request, undone afterwards: the database and the client's cookies are as before."""
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        if method == "GET htmx":
            response = client.get(url, data, **HTMX)
        elif method in ("GET", "HEAD", "POST"):
            response = getattr(client, method.lower())(url, data)
        else:
            response = client.generic(method, url)
        transaction.set_rollback(True)
    client.cookies = cookies  # logging out or joining a workshop must not carry over
    return response


def wrong_answers(world, persona: str, methods: list[str]) -> list[str]:
    client = world.client(persona)
    wrong = []
    for route in all_routes():
        url = route.url(world)
        rule = POLICY.get(route.name)
        if rule is None:
            wrong.append(f"{route.name} {url}: no row in POLICY (tests/security/test_matrix.py)")
            continue
        for method in methods:
            want = expected_for(rule, persona, method)
            fill = post_body if method == "POST" else get_query
            got = outcome(send(client, method, url, fill(route.name, world)))
            if not answers_as_expected(want, got):
                wrong.append(f"{route.name} {url} {persona} {method}: expected {want}, got {got}")
    return wrong


@pytest.fixture
def voting_world(world):
    """The world with a voting round open: a vote lands for real, and pages show the dots."""
    workshop_services.open_voting(
        workshop=world.workshop, block="", budget=3, actor=world.users["owner"]
    )
    return world


@pytest.fixture(autouse=True)
def in_process_bus(monkeypatch):
    """Streams subscribe to an in-process bus: the PostgreSQL listener waits seconds for a
    connection on every test client request (each runs in a new event loop), and what is
    checked here is who may open a stream, not how events travel."""
    monkeypatch.setattr(live_views, "get_bus", MemoryBus)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_read_answers_as_the_policy_says(voting_world, persona):
    wrong = wrong_answers(voting_world, persona, READS)
    assert not wrong, "\n".join(["", *wrong])


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_write_answers_as_the_policy_says(voting_world, persona):
    wrong = wrong_answers(voting_world, persona, WRITES)
    assert not wrong, "\n".join(["", *wrong])


def test_every_route_has_a_row_in_the_policy():
    missing = [route.name for route in all_routes() if route.name not in POLICY]
    assert not missing, (
        "Add a row to POLICY in tests/security/test_matrix.py for each new route "
        f"(who may read it, who may write it): {', '.join(missing)}"
    )


def test_the_policy_names_only_routes_that_exist():
    stale = sorted(set(POLICY) - {route.name for route in all_routes()})
    assert not stale, f"Remove these rows from POLICY, their routes are gone: {stale}"


ORDER = ("anonymous", "outsider", "viewer", "editor", "owner", "guest", "other_guest")


@pytest.mark.parametrize(
    ("level", "answers"),  # answers in ORDER
    [
        (PUBLIC, [ALLOWED] * 7),
        (MEMBER, ["login", ALLOWED, ALLOWED, ALLOWED, ALLOWED, "login", "login"]),
        (VIEWER, ["login", 404, ALLOWED, ALLOWED, ALLOWED, "login", "login"]),
        (OWNER, ["login", 404, 403, 403, ALLOWED, "login", "login"]),
        (GUEST_OR_VIEWER, ["login", 404, ALLOWED, ALLOWED, ALLOWED, ALLOWED, 404]),
        (GUEST_OR_EDITOR, ["login", 404, 403, ALLOWED, ALLOWED, ALLOWED, 404]),
        (OWN_NOTE_GUEST_OR_EDITOR, ["login", 404, 403, ALLOWED, ALLOWED, 403, 404]),
        (FACILITATOR, ["login", 404, 403, 403, ALLOWED, "login", "login"]),
        (None, [405] * 7),
    ],
)
def test_levels_expand_to_the_answers_each_persona_gets(level, answers):
    """The table's levels mean what the module docstring says, for every persona."""
    assert sorted([*ORDER, "holder"]) == sorted(PERSONAS)
    got = {persona: expected(level, persona) for persona in ORDER}
    assert got == dict(zip(ORDER, answers, strict=True))


@pytest.mark.parametrize(
    ("got", "passes"), [(200, True), (303, True), (422, True), (403, False), (500, False)]
)
def test_allowed_means_through_the_gate_and_never_a_server_error(got, passes):
    assert answers_as_expected(ALLOWED, got) is passes
    assert answers_as_expected(ALLOWED, "login") is False


@pytest.mark.parametrize(
    ("rule", "answers"),  # GET, HEAD, POST, DELETE
    [
        (R(read=PUBLIC, write=PUBLIC), [ALLOWED, ALLOWED, ALLOWED, 405]),
        (R(read=GUEST_OR_VIEWER, shared=True), [ALLOWED, ALLOWED, 404, 404]),
        (R(read=VIEWER), [404, 404, 404, 404]),
        (R(read=EDITOR, write=EDITOR), [404, 404, 404, 404]),
        (R(write=GUEST_OR_EDITOR), [404, 404, 404, 404]),
    ],
)
def test_a_holder_reads_their_canvas_and_meets_404_everywhere_else(rule, answers):
    got = [expected_for(rule, "holder", method) for method in ("GET", "HEAD", "POST", "DELETE")]
    assert got == answers
