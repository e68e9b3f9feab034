"""Telling htmx's requests for a fragment from requests for a whole page, and answering each."""
import json

from flask import make_response, render_template, request


def is_htmx() -> bool:
    """Whether htmx asked for a fragment to swap in. On a history miss htmx asks for the
    whole page (HX-History-Restore-Request), with HX-Request set as well."""
    # htmx sends "true"; anything else (a proxy or a script sending "false") wants the page.
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-History-Restore-Request")


def fragment_or_page(fragment: str, page: str, status: int = 200, **context):
    """Render the fragment for htmx, else the full page that holds it, with `status`.

    The page is given the fragment's name too, for a page that includes whichever fragment
    it is handed (discussion/page.html). The fragment always comes with a 200: it is what
    htmx swaps in (a form with its messages), and a browser logs every 4xx as an error.
    """
    if is_htmx():
        return render_template(fragment, **context)
    return render_template(page, fragment=fragment, **context), status


def after_swap(response, say: str = "", focus: str = ""):
    """`response`, with what the page does once htmx has swapped it in (js/after-swap.js):
    say `say` in the page's one live region, and move the focus to the element the CSS
    selector `focus` names (the new reply, the moved card, the confirmation)."""
    response = make_response(response)
    # JSON's \u escapes keep the header ASCII, whatever the language.
    response.headers["HX-Trigger-After-Settle"] = json.dumps({"after-swap": {"say": str(say), "focus": focus}})
    return response
