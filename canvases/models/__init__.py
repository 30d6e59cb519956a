"""The models of canvases, by feature (the tables are canvases' whichever module a model is
in): teams, the board (canvases, blocks, notes and who may read them), history, live
presence, workshops, share links, the throttles' counts, and account settings."""

from .accounts import Account, account_of
from .board import (
    BLOCK_QUESTIONS,
    EVERYONE,
    NOTE_MAX_LENGTH,
    POSTER_ORDER,
    Block,
    BlockKind,
    Canvas,
    CanvasQuerySet,
    Note,
    NoteColour,
    NoteQuerySet,
    Viewer,
    hidden_from,
    trash_cutoff,
)
from .comments import (
    COMMENT_MAX_LENGTH,
    NOTE_TARGET,
    Comment,
    Mention,
    Thread,
)
from .history import CanvasVersion, ChangeRecord, ChangeRecordQuerySet
from .live import Presence
from .sharing import ShareLink, ShareLinkQuerySet, new_share_token, share_token_hash
from .teams import (
    INVITABLE_ROLES,
    Invitation,
    Membership,
    MembershipQuerySet,
    Role,
    Team,
    invitation_expiry,
    new_invitation_token,
)
from .throttles import AttemptCounter
from .workshops import (
    JOIN_CODE_ALPHABET,
    Ballot,
    Guest,
    Vote,
    Workshop,
    WorkshopQuerySet,
    new_join_code,
    new_join_token,
)

__all__ = [
    "Account", "account_of", "BLOCK_QUESTIONS", "COMMENT_MAX_LENGTH", "Comment", "EVERYONE",
    "INVITABLE_ROLES", "Mention", "NOTE_TARGET", "Thread", "NOTE_MAX_LENGTH", "POSTER_ORDER",
    "AttemptCounter", "Ballot",
    "Block", "BlockKind", "Canvas", "CanvasQuerySet", "CanvasVersion", "ChangeRecord",
    "ChangeRecordQuerySet", "Guest", "Invitation", "JOIN_CODE_ALPHABET", "Membership",
    "MembershipQuerySet", "Note", "NoteColour", "NoteQuerySet", "Presence", "Role", "ShareLink",
    "ShareLinkQuerySet", "Team",
    "Viewer", "Vote", "Workshop", "WorkshopQuerySet", "hidden_from", "invitation_expiry",
    "new_invitation_token", "new_join_code", "new_join_token", "new_share_token",
    "share_token_hash", "trash_cutoff",
]  # fmt: skip
