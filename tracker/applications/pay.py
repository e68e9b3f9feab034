"""The pay check: an application's pay (an amount or a range, in taka a month) placed
against its role's range; and offers' pay shared anonymously, shown on the role's page
as a count, median and range only when enough members shared that no figure points at
one of them. None of these functions commits.
"""
from dataclasses import dataclass
from statistics import median

import sqlalchemy as sa

from ..extensions import db
from ..models import Application, utcnow
from . import stages

BELOW = "below"
WITHIN = "within"
ABOVE = "above"
# Fewer members than this and the role's page shows no figure of their offers.
MIN_SHARES = 5
# Stages at which an application's pay is an offer's.
OFFERED = frozenset({stages.OFFER, stages.HIRED})


def place_pay(pay_min: int | None, pay_max: int | None, role_min: int | None, role_max: int | None) -> str | None:
    """Where a pay (an amount, pay_min alone, or a range) stands against a role's range:
    BELOW when all of it is under the range, ABOVE when all of it is over, else WITHIN;
    None when either is not known."""
    if pay_min is None or (role_min is None and role_max is None):
        return None
    top = pay_max if pay_max is not None else pay_min
    if role_min is not None and top < role_min:
        return BELOW
    if role_max is not None and pay_min > role_max:
        return ABOVE
    return WITHIN


def may_share(application: Application) -> bool:
    """Whether an application's pay can count among its role's offers: an offer (or the
    job taken), with a pay given, for a catalogue role."""
    return application.role_id is not None and application.pay_min is not None and application.status in OFFERED


def share_pay(application: Application, shared: bool) -> None:
    """Share the offer's pay towards its role's figures, or take it back (no commit)."""
    if shared and not may_share(application):
        raise ValueError("only an offer's pay, for a catalogue role, can be shared")
    if shared and application.pay_shared_at is None:
        application.pay_shared_at = utcnow()
    elif not shared:
        application.pay_shared_at = None


@dataclass(frozen=True)
class SharedOffers:
    count: int
    median: int
    lowest: int
    highest: int


# Each member counts once, with the offer they shared last: one member with several
# offers cannot make up the numbers alone.
_LAST_SHARE_OF_EACH_MEMBER = (
    sa.select(sa.func.max(Application.id))
    .where(
        Application.role_id == sa.bindparam("role_id"),
        Application.pay_shared_at.is_not(None),
        Application.pay_min.is_not(None),
    )
    .group_by(Application.user_id)
)
_SHARED_PAY = sa.select(Application.pay_min, Application.pay_max).where(
    Application.id.in_(_LAST_SHARE_OF_EACH_MEMBER.scalar_subquery())
)


def shared_offers(role_id: int) -> SharedOffers | None:
    """The offers members shared for a role, as a count, median and range (one query);
    None when fewer than MIN_SHARES members shared. A range counts as its middle."""
    amounts = [
        (low + high) // 2 if high is not None else low
        for low, high in db.session.execute(_SHARED_PAY, {"role_id": role_id})
    ]
    if len(amounts) < MIN_SHARES:
        return None
    return SharedOffers(len(amounts), round(median(amounts)), min(amounts), max(amounts))
