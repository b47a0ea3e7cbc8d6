"""The review queue: every automatic code reviewed on its own, honest counts and pages,
bulk decisions with an undo, the place kept after a decision, progress."""

from __future__ import annotations

import re

from sqlalchemy import select

from consult import db
from consult.coding.models import CodeDecision, TextUnitRow
from consult.models import AuditEvent
from tests.conftest import csrf_from, sign_in
from tests.consult.walker import complete

RESEARCHER = ("researcher@demo.consult.local", "demo-researcher-password")
ADMIN = ("admin@demo.consult.local", "demo-admin-password")
TWO_THEMES = "The rent is too high and I cannot find a job."


def _unit_ids(app) -> list[int]:
    with app.app_context():
        return list(db.session().scalars(select(TextUnitRow.id).order_by(TextUnitRow.id)))


def _themes(app, unit_id) -> list[str]:
    with app.app_context():
        unit = db.session().get(TextUnitRow, unit_id)
        return sorted(c.theme for c in unit.auto_codes)


def _decide(client, unit_id, theme, decision, back="/research/coding/", then=""):
    token = csrf_from(client.get("/research/coding/?status=all").text)
    data = {"csrf_token": token, "theme": theme, "decision": decision, "next": back}
    if then:
        data["then"] = then
    return client.post(f"/research/coding/units/{unit_id}/decide", data=data)


def _listed(client, query: str) -> set[int]:
    page = client.get(f"/research/coding/?{query}").text
    return {int(n) for n in re.findall(r'<article class="card unit" id="unit-(\d+)"', page)}


def test_confirming_one_theme_leaves_the_others_to_review(app, client):
    complete(client, "needs-assessment", "en", text=TWO_THEMES)
    unit = _unit_ids(app)[0]
    assert _themes(app, unit) == ["employment", "housing"]
    sign_in(client, *RESEARCHER)
    assert _decide(client, unit, "housing", "yes").status_code == 302
    assert unit in _listed(client, "status=unreviewed")  # employment is not decided yet
    assert unit not in _listed(client, "status=unreviewed&theme=housing")
    assert unit in _listed(client, "status=unreviewed&theme=employment")
    page = client.get("/research/coding/?status=all").text
    assert "found automatically, not reviewed yet" in page
    _decide(client, unit, "employment", "no")
    assert unit not in _listed(client, "status=unreviewed")
    assert unit in _listed(client, "status=all&theme=housing")


def test_a_decision_on_one_text_leaves_the_same_theme_in_others_to_review(app, client):
    """A decision on housing in one text is no decision on housing in any other."""
    for _ in range(2):
        complete(client, "needs-assessment", "en", text="The rent is too high.")
    first, *others = _unit_ids(app)
    sign_in(client, *RESEARCHER)
    assert _decide(client, first, "housing", "no").status_code == 302
    assert _listed(client, "status=unreviewed") == set(others)
    assert _listed(client, "status=unreviewed&theme=housing") == set(others)


def test_the_count_says_which_texts_are_shown_and_pages_follow(app, client):
    for _ in range(10):  # 30 texts: three open answers each
        complete(client, "needs-assessment", "en", text="The rent is too high.")
    sign_in(client, *RESEARCHER)
    first = client.get("/research/coding/?status=all").text
    assert "Showing 1–25 of 30 texts" in first and "Units shown" not in first
    assert "Page 1 of 2" in first and "Next page" in first and "Previous page" not in first
    second = client.get("/research/coding/?status=all&page=2").text
    assert "Showing 26–30 of 30 texts" in second and "Previous page" in second
    assert len(_listed(client, "status=all&page=2")) == 5


def test_a_decision_keeps_the_place_on_the_page(app, client):
    complete(client, "needs-assessment", "en", text=TWO_THEMES)
    first, second, _ = _unit_ids(app)
    sign_in(client, *RESEARCHER)
    back = "/research/coding/?status=unreviewed"
    # still listed (employment undecided): the page opens at the same text
    stays = _decide(client, first, "housing", "yes", back, then=second)
    assert stays.headers["Location"].endswith(f"{back}#unit-{first}")
    # now fully reviewed, it leaves the page: it opens at the text that followed
    leaves = _decide(client, first, "employment", "yes", back, then=second)
    assert leaves.headers["Location"].endswith(f"{back}#unit-{second}")
    last = _decide(client, second, "housing", "no", "/research/coding/?theme=housing")
    assert last.headers["Location"].endswith("#queue-end")


def _bulk(client, theme, decision, unit_ids, back):
    token = csrf_from(client.get(back).text)
    data = {"csrf_token": token, "theme": theme, "decision": decision, "next": back}
    return client.post("/research/coding/bulk", data={**data, "unit": unit_ids})


def test_bulk_confirm_of_a_theme_with_an_undo(app, client):
    for _ in range(3):
        complete(client, "needs-assessment", "en", text=TWO_THEMES)
    ids = _unit_ids(app)
    sign_in(client, *RESEARCHER)
    back = "/research/coding/?status=unreviewed&theme=housing"
    page = client.get(back).text
    assert len(re.findall(r'name="unit" value="\d+" form="bulk"', page)) == 9  # all ticked
    _decide(client, ids[0], "housing", "no")  # decided already: a bulk review leaves it
    done = _bulk(client, "housing", "yes", [str(i) for i in ids[:5]], back)
    assert done.status_code == 302 and "done=" in done.headers["Location"]
    with app.app_context():
        decisions = {(d.unit_id, d.present) for d in db.session().scalars(select(CodeDecision))}
    assert decisions == {(ids[0], False), *((i, True) for i in ids[1:5])}
    shown = client.get(done.headers["Location"]).text
    assert "Housing confirmed on 4 texts." in shown
    assert set(ids[1:5]).isdisjoint(_listed(client, "status=unreviewed&theme=housing"))

    other = client.application.test_client()
    sign_in(other, *ADMIN)  # any researcher or admin of the partnership may undo it
    event = re.search(r"/research/coding/bulk/(\d+)/undo", shown).group(1)
    undo = other.post(
        f"/research/coding/bulk/{event}/undo",
        data={"csrf_token": csrf_from(other.get(back).text), "next": back},
    )
    assert undo.status_code == 302
    assert "4 decisions taken back." in other.get(undo.headers["Location"]).text
    with app.app_context():
        left = {(d.unit_id, d.present) for d in db.session().scalars(select(CodeDecision))}
        actions = [e.action for e in db.session().scalars(select(AuditEvent))]
    assert left == {(ids[0], False)}  # the decision made one by one stays
    assert "bulk_review" in actions and "undo_bulk_review" in actions
    words = other.get("/admin/audit").text
    assert "confirmed Housing on 4 texts at once" in words
    assert "took back the decisions on Housing for 4 texts" in words


def test_progress_counts_reviewed_automatic_codes_and_their_precision(app, client):
    complete(client, "needs-assessment", "en", text=TWO_THEMES)
    first, *_ = _unit_ids(app)
    sign_in(client, *RESEARCHER)
    assert "0 of 6 automatic codes reviewed" in client.get("/research/coding/").text
    _decide(client, first, "housing", "yes")
    _decide(client, first, "employment", "no")
    page = client.get("/research/coding/").text
    assert "2 of 6 automatic codes reviewed; auto-coding precision on what you reviewed: 0.50" in (
        page
    )
    assert "1 of 3 automatic codes reviewed" in client.get("/research/coding/?theme=housing").text


def test_sentiment_reads_in_words_with_its_number(app, client):
    complete(client, "needs-assessment", "en", text="The help here is wonderful and kind.")
    sign_in(client, *RESEARCHER)
    page = client.get("/research/coding/?status=all").text
    assert "Sentiment: rather positive" in page
    assert re.search(r"polarity 0\.\d\d, from −1 to 1", page)


def test_a_decision_on_one_text_leaves_the_same_theme_undecided_on_others(app, client):
    complete(client, "needs-assessment", "en", text="The rent is too high.")
    complete(client, "needs-assessment", "en", text="We cannot pay the rent.")
    first, *others = _unit_ids(app)
    sign_in(client, *RESEARCHER)
    _decide(client, first, "housing", "yes")
    listed = _listed(client, "status=unreviewed")
    assert first not in listed and set(others) <= listed
