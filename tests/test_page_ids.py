"""No two elements of a page share an id: a label, an error or a live region would
otherwise point at the wrong field."""
import re
from collections import Counter

from .test_access_matrix import ACCESS, MODERATOR, PUBLIC, _url
from .test_bengali_pages import GET_ROUTES, _client, world  # noqa: F401


def repeated_ids(html: str) -> list[str]:
    # Only in the markup: an id in a comment or a script's text is no element's.
    html = re.sub(r"<!--.*?-->", "", html, flags=re.S)
    ids = Counter(re.findall(r'<[a-zA-Z][^>]*?\sid="([^"]+)"', html))
    return sorted(name for name, times in ids.items() if times > 1)


def test_every_page_has_unique_ids(app, world, user, moderator):  # noqa: F811
    readers = {"anonymous": _client(app), "asha": _client(app, user), "mita": _client(app, moderator)}
    repeated = {}
    for endpoint, rule in GET_ROUTES:
        url = _url(app, endpoint, world)
        for name in ("mita",) if ACCESS[endpoint] == MODERATOR else ("asha", "anonymous") if ACCESS[endpoint] == PUBLIC else ("asha",):
            response = readers[name].get(url)
            if response.mimetype == "text/html" and (found := repeated_ids(response.get_data(as_text=True))):
                repeated[f"{name} {url}"] = found
    assert not repeated, repeated
