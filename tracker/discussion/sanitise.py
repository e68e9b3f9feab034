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

# Runs on already-escaped text: a URL ends at whitespace or at an escaped quote or
# angle bracket, so it can never carry markup into the href.
URL_CHARACTER = r"(?:(?!&(?:quot|lt|gt|#x27);)[^\s])"
LINK = re.compile(
    rf"\[(?P<label>[^\]\n]+)\]\((?P<target>https?://(?:(?!\)){URL_CHARACTER})+)\)"
    rf"|(?P<bare>\bhttps?://{URL_CHARACTER}+)"
)
# Punctuation that ends a sentence rather than a bare URL ("see https://x.org.").
TRAILING_PUNCTUATION = ".,:!?)’”"
STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
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
    paragraphs = [p for p in PARAGRAPH_BREAK.split(text) if p.strip()]
    rendered = "".join(
        "<p>" + "<br>\n".join(_format_inline(html.escape(line, quote=True)) for line in p.split("\n")) + "</p>"
        for p in paragraphs
    )
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        link_rel=LINK_REL,
        url_schemes=URL_SCHEMES,
        strip_comments=True,
    )
