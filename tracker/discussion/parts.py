"""Places on a comment's card and at the foot of a thread where the areas above the
discussion put templates of their own (moderation: its actions, the report link and form,
the thread controls). The discussion draws whatever is there, in the card's or the
thread's context, and names none of them.

A template put here decides itself whom it shows to. Cards are kept for every reader of a
kind in a thread (tracker/pieces.py), drawn for `reader`, a stand-in that is never a moderator: what is
for moderators alone must draw nothing for it.
"""
COMMENT_LINKS = "comment_links"  # among Reply, Edit and Delete, under a comment's text
UNDER_COMMENT = "under_comment"  # under those links, in the comment's card
THREAD_FOOT = "thread_foot"  # at the foot of a role page's thread, under the comment form

_templates: dict[str, list[str]] = {COMMENT_LINKS: [], UNDER_COMMENT: [], THREAD_FOOT: []}


def put(place: str, template: str) -> None:
    """Draw `template` at `place` on every card or thread, after what is there already."""
    _templates[place].append(template)


def templates_at(place: str) -> list[str]:
    return _templates[place]
