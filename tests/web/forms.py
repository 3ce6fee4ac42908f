"""Fill in our forms through Flask's test client, as a browser would, form token included."""

import re

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(page: str) -> str:
    match = CSRF.search(page)
    assert match, "the page has no form token"
    return match.group(1)


def submit(client, url: str, data: dict | None = None, follow: bool = False):
    """GET the form page, then POST the data with the page's form token."""
    page = client.get(url)
    assert page.status_code == 200, f"{url} answered {page.status_code}"
    payload = {"csrf_token": csrf_token(page.get_data(as_text=True)), **(data or {})}
    return client.post(url, data=payload, follow_redirects=follow)
