"""Limits counted per member, checked inside a view rather than by a route decorator, so
that a refusal shows in the form with what was typed kept, not on an error page."""
from flask import current_app
from limits import parse as parse_rate_limit

from .extensions import limiter


def take_token(setting: str, scope: str, member_id: int) -> bool:
    """Count one try against the limit the config `setting` names; False when used up."""
    if not limiter.enabled:
        return True
    return limiter.limiter.hit(parse_rate_limit(current_app.config[setting]), scope, str(member_id))
