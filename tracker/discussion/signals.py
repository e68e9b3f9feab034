"""What the discussion tells areas above it, which connect to these signals (blinker, as
Flask's own signals) instead of being called by name: discussion imports none of them."""
from flask.signals import Namespace

_signals = Namespace()

# Sent with `comment` (a Comment) just posted or edited, before the view commits: receivers
# run at once and may change the comment, but never commit.
comment_written = _signals.signal("comment-written")
