"""What auth tells the areas above it about an account, which they connect to (blinker,
as Flask's own signals): auth imports none of them, yet an account's deletion and its
export reach the applications and comments they keep."""
from flask.signals import Namespace

_signals = Namespace()

# Sent with `user` (a User) being deleted, before its row is emptied: receivers delete
# what is theirs alone (added or executed, never committed).
account_deleting = _signals.signal("account-deleting")
# Sent with `user` when they take their data out: each receiver returns a dict of file
# names to text, which go into the zip as they are.
account_exporting = _signals.signal("account-exporting")
