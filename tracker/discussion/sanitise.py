"""Comment text to safe HTML, done once when a comment is written or edited.

Readers type plain text with a little markdown: blank lines make paragraphs, a newline
breaks the line, *emphasis*, **strong**, bare http(s) links and [text](https://...) links.
Everything else the text contains is escaped, so typed HTML shows as text, and nh3 then
checks the result against a short allow-list as a second line of defence.
"""
import html
import re

import nh3

ALLOWED_TAGS = {"p", "br", "a", "em", "strong"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
LINK_REL = "nofollow ugc noopener"
URL_SCHEMES = {"http", "https"}

# Every pattern below runs in time linear in the text: what a mark may enclose cannot hold
# the mark that opens the next try (a label or link target no "[", strong text no "**",
# emphasis no "*" or "_"), so a try that fails stops where the next one starts, and a
# comment full of openers ("[[[[", "**x **x") costs no more than plain text of its length.
# No pattern reaches across a line, so they run once on the whole comment.
#
# Runs on already-escaped text: a URL ends at whitespace, a quote or an escaped angle
# bracket, so it can never carry markup into the href.
URL = r"(?:[^\s\"'&]|&(?![lg]t;))+"
# A link's target ends at its ")", and holds no "[" (see above).
TARGET = r"(?:[^\s\"'&)\[]|&(?![lg]t;))+"
LINK = re.compile(
    rf"\[(?P<label>[^\[\]\n]+)\]\((?P<target>https?://{TARGET})\)"
    rf"|(?P<bare>\bhttps?://{URL})"
)
# Longer than any address in use (servers and browsers stop near 2,000 characters), a link
# stays text: nh3 would read it twice, as the href and as the label, entity by entity.
MAX_LINK_LENGTH = 2048
# Punctuation that ends a sentence rather than a bare URL ("see https://x.org.").
TRAILING_PUNCTUATION = ".,:!?)’”"
STRONG = re.compile(r"\*\*(?=\S)((?:[^*\n]|\*(?!\*))+?)(?<=\S)\*\*")
EMPHASIS = re.compile(r"(?<![\w*])[*_](?=\S)([^*_\n]+?)(?<=\S)[*_](?![\w*])")
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")


def _emphasise(escaped: str) -> str:
    escaped = STRONG.sub(r"<strong>\1</strong>", escaped)
    return EMPHASIS.sub(r"<em>\1</em>", escaped)


def _anchor(href: str, label: str) -> str:
    return f'<a href="{href}">{label}</a>'


def _format_inline(escaped: str) -> str:
    """Turn links into anchors and the text between them into emphasis."""
    parts, position = [], 0
    for match in LINK.finditer(escaped):
        if len(match[0]) > MAX_LINK_LENGTH:
            continue
        parts.append(_emphasise(escaped[position:match.start()]))
        if match["bare"]:
            url = match["bare"].rstrip(TRAILING_PUNCTUATION)
            parts.append(_anchor(url, url) + match["bare"][len(url):])
        else:
            parts.append(_anchor(match["target"], match["label"]))
        position = match.end()
    parts.append(_emphasise(escaped[position:]))
    return "".join(parts)


def render_comment(source: str) -> str:
    """Return the safe HTML for a comment's source text."""
    text = source.replace("\r\n", "\n").replace("\r", "\n").strip()
    # Quotes stay as typed in the text (a URL stops at them): fewer entities for nh3 to read.
    formatted = _format_inline(html.escape(text, quote=False))
    paragraphs = [p for p in PARAGRAPH_BREAK.split(formatted) if p.strip()]
    rendered = "".join("<p>" + p.replace("\n", "<br>\n") + "</p>" for p in paragraphs)
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        link_rel=LINK_REL,
        url_schemes=URL_SCHEMES,
        strip_comments=True,
    )
