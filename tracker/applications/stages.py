"""The stages of an application and the moves between them: the one place they are defined."""
from flask_babel import lazy_gettext as _l

SAVED = "saved"
APPLIED = "applied"
INTERVIEWING = "interviewing"
OFFER = "offer"
HIRED = "hired"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"
NO_RESPONSE = "no_response"

# The road to a job, in order; the funnel counts how far each application got along it.
PIPELINE = (SAVED, APPLIED, INTERVIEWING, OFFER, HIRED)
# Every stage in board order.
STATUSES = PIPELINE + (REJECTED, WITHDRAWN, NO_RESPONSE)
OPEN = frozenset({SAVED, APPLIED, INTERVIEWING, OFFER})
CLOSED = frozenset(STATUSES) - OPEN
# Stages where the next move is the employer's, so silence means something.
AWAITING_REPLY = frozenset({APPLIED, INTERVIEWING, OFFER})

LABELS = {
    SAVED: _l("Saved"),
    APPLIED: _l("Applied"),
    INTERVIEWING: _l("Interviewing"),
    OFFER: _l("Offer"),
    HIRED: _l("Hired"),
    REJECTED: _l("Rejected"),
    WITHDRAWN: _l("Withdrawn"),
    NO_RESPONSE: _l("No response"),
}

_GIVING_UP = (REJECTED, WITHDRAWN, NO_RESPONSE)

# One step forward along the pipeline, or out to a closed stage from any open one.
# "No response" is the only closed stage one can leave: an employer may answer late.
TRANSITIONS = {
    SAVED: (APPLIED,) + _GIVING_UP,
    APPLIED: (INTERVIEWING,) + _GIVING_UP,
    INTERVIEWING: (OFFER,) + _GIVING_UP,
    OFFER: (HIRED,) + _GIVING_UP,
    HIRED: (),
    REJECTED: (),
    WITHDRAWN: (),
    NO_RESPONSE: (INTERVIEWING, REJECTED),
}


def label(status: str) -> str:
    """The reader's name for a stage."""
    return str(LABELS[status])


def allowed_next(status: str) -> tuple[str, ...]:
    """The stages an application in `status` may move to."""
    return TRANSITIONS.get(status, ())


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in allowed_next(from_status)


def is_final(status: str) -> bool:
    """Whether an application in `status` moves no further unless reopened (so moving
    there asks for a tick)."""
    return status in TRANSITIONS and not TRANSITIONS[status]


def is_open(status: str) -> bool:
    return status in OPEN


def is_reopening(from_status: str | None, to_status: str) -> bool:
    """Whether a move took a closed application back to an open stage."""
    return from_status in CLOSED and to_status in OPEN
