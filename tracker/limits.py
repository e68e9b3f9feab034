"""Limits counted per member (or per address), checked inside a view rather than by a
route decorator, so that a refusal shows in the form with what was typed kept, not on an
error page.

While the limits' store (Redis) cannot be reached, tries are counted in this process, as
Flask-Limiter does for the limits on routes (RATELIMIT_IN_MEMORY_FALLBACK_ENABLED): a
member can still write, and no more often than the limit allows in each process."""
import logging

from flask import current_app
from limits import parse as parse_rate_limit
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter
from redis.exceptions import RedisError

from .extensions import limiter

log = logging.getLogger(__name__)
_counted_here = FixedWindowRateLimiter(MemoryStorage())


def take_token(setting: str, scope: str, member_id: int | str) -> bool:
    """Count one try of `member_id` (a member's id, or an address) against the limit the
    config `setting` names; False when used up."""
    return _within_limit("hit", setting, scope, member_id)


def token_left(setting: str, scope: str, member_id: int | str) -> bool:
    """Whether `take_token` would pass now, counting nothing: to refuse at the first step
    what the last would refuse."""
    return _within_limit("test", setting, scope, member_id)


def _within_limit(how: str, setting: str, scope: str, member_id: int | str) -> bool:
    if not limiter.enabled:
        return True
    limit = parse_rate_limit(current_app.config[setting])
    try:
        return getattr(limiter.limiter, how)(limit, scope, str(member_id))
    except RedisError as error:
        log.warning("rate limit store unreachable, counting %s in this process: %s", setting, error)
        return getattr(_counted_here, how)(limit, scope, str(member_id))
