"""A shared device (a library kiosk, an agency's tablet): after submitting, nothing of
the respondent stays in the browser for the next person (#14, item 8); Back then the
last page's button again shows the reference, not the consent page (#14, item 11)."""

import re
import time

from consult.survey.respondent import FINISHED_MINUTES
from tests.consult.walker import complete, fields_of

SLUG = "needs-assessment"


def reference_on(page) -> str:
    return re.search(r"<strong>([A-Z0-9-]+)</strong>", page.text).group(1)


def press_done(client, done_page):
    return client.post("/done", data={"csrf_token": fields_of(done_page.text).csrf})


def test_done_clears_the_respondent_from_the_browser(client):
    done = complete(client, SLUG, "ar")
    reference = reference_on(done)
    assert 'name="link_survey"' in client.get("/focus-groups").text
    response = press_done(client, done)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/")
    with client.session_transaction() as state:
        assert not {"drafts", "done", "lang"} & set(state)
    again = client.get(f"/s/{SLUG}/done")
    assert again.status_code == 302 and reference not in again.text
    assert 'name="link_survey"' not in client.get("/focus-groups").text


def test_the_reference_leaves_the_browser_on_its_own_after_a_while(client):
    complete(client, SLUG)
    with client.session_transaction() as state:
        state["done"] = {**state["done"], "at": int(time.time()) - FINISHED_MINUTES * 60 - 1}
    assert client.get(f"/s/{SLUG}/done").status_code == 302
    assert 'name="link_survey"' not in client.get("/focus-groups").text
    with client.session_transaction() as state:
        assert "done" not in state


def test_done_needs_the_csrf_token(client):
    complete(client, SLUG)
    assert client.post("/done").status_code == 400
    assert client.get(f"/s/{SLUG}/done").status_code == 200


def test_back_then_send_on_the_last_page_shows_the_reference(client):
    last_post = {}
    original = client.post

    def remember(url, **kwargs):
        response = original(url, **kwargs)
        if "/p/" in url and response.headers.get("Location", "").endswith("/done"):
            last_post.update(url=url, data=kwargs["data"])
        return response

    client.post = remember
    done = complete(client, SLUG)
    client.post = original
    again = client.post(last_post["url"], data=last_post["data"])
    assert again.status_code == 302
    assert again.headers["Location"].endswith(f"/s/{SLUG}/done?again=1")
    assert reference_on(client.get(again.headers["Location"])) == reference_on(done)
