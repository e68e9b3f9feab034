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


def test_a_role_page_names_its_canonical_address_and_says_what_the_occupation_pays(seeded, client):
    html = client.get("/roles/bpo-job?order=newest").get_data(as_text=True)
    assert '<link rel="canonical" href="http://127.0.0.1:5000/roles/bpo-job">' in html
    assert 'itemtype="https://schema.org/Occupation"' in html and '<h1 itemprop="name">BPO কাজ</h1>' in html
    salary = html[html.index('itemprop="estimatedSalary"'):]
    salary = salary[: salary.index("</div>")]
    for fact in ('itemprop="currency" content="BDT"', 'itemprop="minValue" content="5000"',
                 'itemprop="maxValue" content="25000"', 'itemprop="unitText" content="MONTH"'):
        assert fact in salary
    assert '<meta itemprop="skills" content="কম্পিউটার জ্ঞান">' in html


def test_the_sitemap_lists_every_guide_on_the_site_address_and_robots_names_it(seeded, client):
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200 and sitemap.mimetype == "application/xml"
    text = sitemap.get_data(as_text=True)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert re.findall(r"<loc>([^<]+)</loc>", text) == [
        "http://127.0.0.1:5000/", "http://127.0.0.1:5000/roles/bpo-job", "http://127.0.0.1:5000/roles/customer-care-officer"]
    assert "Sitemap: http://127.0.0.1:5000/sitemap.xml" in client.get("/robots.txt").get_data(as_text=True)
