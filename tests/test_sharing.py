"""What search engines and shared links show: a description on every page, and on a role
page its own summary and pay, with Open Graph tags for Facebook and WhatsApp."""
import re
from html import unescape

import pytest


def meta(html: str, key: str) -> str | None:
    found = re.search(rf'<meta (?:name|property)="{re.escape(key)}" content="([^"]*)">', html)
    return unescape(found.group(1)) if found else None


@pytest.mark.parametrize("url", ["/", "/roles/bpo-job", "/auth/login", "/auth/register", "/tracker/", "/tracker/board", "/nowhere"])
def test_every_page_has_a_description(seeded, app, user, url):
    user_client = app.test_client()
    if url.startswith("/tracker"):
        user_client.login(user.email)
    description = meta(user_client.get(url, follow_redirects=True).get_data(as_text=True), "description")
    assert description and len(description) > 40


def test_a_role_page_describes_the_role_and_is_shared_with_its_title_and_pay(seeded, undecided_client):
    html = undecided_client.get("/roles/bpo-job").get_data(as_text=True)
    assert meta(html, "og:title") == "BPO কাজ"
    assert meta(html, "og:description").startswith("মাসিক বেতন: ৳৫,০০০ – ৳২৫,০০০।")
    assert meta(html, "description") == meta(html, "og:description")
    assert meta(html, "og:url") == "http://127.0.0.1:5000/roles/bpo-job"  # SITE_URL's default
    assert meta(html, "og:type") == "article" and meta(html, "og:locale") == "bn_BD"


def test_a_role_with_a_summary_is_described_by_it(seeded, client):
    html = client.get("/roles/customer-care-officer").get_data(as_text=True)
    description = meta(html, "description")
    assert description.startswith("Pay per month: ৳10,000 – ৳20,000. ")
    assert len(description) <= 201
    # The summary, shortened at a word where it is long.
    lead = unescape(re.search(r'<p class="lead">([^<]*)</p>', html).group(1))
    assert lead.startswith(description.split(". ", 1)[1].rstrip("…"))
