"""Where a thread shows the reply a moderator marked as the answer: first among its
siblings, with the branches above it also first, so it is the first reply one reads."""


def _holds_answer(node) -> bool:
    inside = lift_answers(node.replies)
    return node.comment.is_answer or inside


def lift_answers(nodes: list) -> bool:
    """Reorder thread nodes (ThreadNode) in place so answers come first; True if any is here."""
    holding = {id(node) for node in nodes if _holds_answer(node)}
    nodes.sort(key=lambda node: id(node) not in holding)  # stable: the rest keep their order
    return bool(holding)
