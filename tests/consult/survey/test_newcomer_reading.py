"""What a newcomer reads in any language: errors that name their question, follow-up
questions marked and focused, Back after sending, and who runs the survey."""

from __future__ import annotations

import re

from sqlalchemy import select

from consult import db
from consult.demo import DEMO_ACCOUNTS
from consult.models import Partnership
from tests.conftest import csrf_from, sign_in
from tests.consult.walker import complete, fields_of, fill, start

SLUG = "needs-assessment"
AR_LABELS = {
    "years_in_canada": "كم مضى على إقامتك في كندا؟",
    "children": "كم عدد الأطفال دون سن 18 الذين يعيشون معك؟",
}


def _summary(html: str) -> str:
    found = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert found, "no error summary"
    return found.group(0)


def _entries(summary: str) -> list[tuple[str, str]]:
    pattern = r'<a href="#q-([^"]+)"><strong class="error-question">(.*?)</strong>'
    return re.findall(pattern, summary, re.S)


def _page_with(client, name: str) -> tuple[int, str]:
    """Answer pages until the one asking ``name``; its number and markup."""
    for number in range(1, 12):
        html = client.get(f"/s/{SLUG}/p/{number}").text
        if f'name="{name}"' in html:
            return number, html
        response = client.post(f"/s/{SLUG}/p/{number}", data=fill(fields_of(html)))
        if response.status_code == 200:  # skip logic opened more questions: answer them too
            response = client.post(f"/s/{SLUG}/p/{number}", data=fill(fields_of(response.text)))
        assert response.status_code == 302
    raise AssertionError(f"no page asks {name}")


def test_the_summary_names_every_unanswered_question_links_to_it_and_takes_focus(app, client):
    page = start(client, SLUG, "ar")
    fields = fields_of(page.text)
    empty = {"csrf_token": fields.csrf, "action": "next", **fields.hidden}
    response = client.post(f"/s/{SLUG}/p/1", data=empty)
    assert response.status_code == 200
    summary = _summary(response.text)
    assert "autofocus" in summary and 'tabindex="-1"' in summary and 'role="alert"' in summary
    entries = _entries(summary)
    assert [name for name, _label in entries] == ["years_in_canada", "age_band", "area"]
    assert AR_LABELS["years_in_canada"] in entries[0][1]
    assert len({label for _name, label in entries}) == 3  # three different questions named
    for name, _label in entries:
        assert f'id="q-{name}"' in response.text


def test_a_wrong_number_is_named_by_its_question(app, client):
    start(client, SLUG, "ar")
    number, html = _page_with(client, "children")
    wrong = fill(fields_of(html))
    wrong["children"] = "كثير"
    response = client.post(f"/s/{SLUG}/p/{number}", data=wrong)
    assert response.status_code == 200
    [(name, label)] = _entries(_summary(response.text))
    assert name == "children" and AR_LABELS["children"] in label


def test_a_count_typed_in_persian_digits_is_accepted(app, client):
    start(client, SLUG, "fa")
    number, html = _page_with(client, "children")
    answers = fill(fields_of(html))
    answers["children"] = "۲"
    assert client.post(f"/s/{SLUG}/p/{number}", data=answers).status_code in (200, 302)
    again = client.get(f"/s/{SLUG}/p/{number}").text
    assert 'name="children" id="children" value="2"' in again


def test_follow_up_questions_are_marked_and_the_first_takes_focus(app, client):
    start(client, SLUG, "so")
    number, html = _page_with(client, "used_settlement")
    answers = fill(fields_of(html))
    answers["used_settlement"] = "yes"
    response = client.post(f"/s/{SLUG}/p/{number}", data=answers)
    assert response.status_code == 200
    opened = re.search(
        r'<fieldset class="question new-question" id="q-settlement_services"[^>]*>', response.text
    )
    assert opened, "the new question is not marked"
    assert "autofocus" in opened.group(0) and 'tabindex="-1"' in opened.group(0)
    assert response.text.count("autofocus") == 1
    assert response.text.count('class="new-mark"') == 1
    assert 'id="q-used_settlement"' in response.text
    assert "new-question" not in re.search(
        r'<fieldset[^>]*id="q-used_settlement"[^>]*>', response.text
    ).group(0)


def test_back_after_sending_says_the_answers_were_already_sent(app, client):
    done = complete(client, SLUG, "ar")
    reference = re.search(r'<p class="reference"[^>]*><strong>([^<]+)</strong>', done.text).group(1)
    back = client.get(f"/s/{SLUG}/p/8")
    assert back.status_code == 302 and back.headers["Location"].endswith("/done?again=1")
    again = client.get(back.headers["Location"])
    assert 'class="notice" role="status"' in again.text and reference in again.text
    assert again.headers["Cache-Control"] == "no-store"
    consent = client.get(f"/s/{SLUG}/")
    assert reference in consent.text and 'role="status"' in consent.text


def test_the_consent_page_names_the_partnership_and_how_to_reach_it_in_each_language(app, client):
    arabic = client.get(f"/s/{SLUG}/?lang=ar").text
    assert "شراكة الهجرة المحلية في ريفرسايد" in arabic
    assert 'href="tel:6135550100" dir="ltr">613 555 0100</a>' in arabic
    assert 'href="mailto:hello@riverside-lip.example"' in arabic
    assert '<bdi dir="ltr">9:00</bdi>' in arabic or "9:00" in arabic
    chinese = client.get(f"/s/{SLUG}/?lang=zh-Hans").text
    assert "河畔地方移民合作伙伴" in chinese
    with app.app_context():
        partnership = db.session().scalars(select(Partnership)).first()
        partnership.public_names = {"fr": partnership.public_names["fr"]}
        db.commit()
    somali = client.get(f"/s/{SLUG}/?lang=so").text
    name = re.search(r'<span lang="en" class="fallback">([^<]+)</span>', somali)
    assert name and "Riverside Local Immigration Partnership" in name.group(1)


def test_an_admin_sets_the_contact_and_bad_input_loses_nothing(app, client):
    email, password, _role = DEMO_ACCOUNTS[0]
    sign_in(client, email, password)
    page = client.get("/admin/settings")
    assert 'name="name-ti"' in page.text
    with app.app_context():
        pid = db.session().scalars(select(Partnership)).first().id
    data = {
        "csrf_token": csrf_from(page.text),
        "partnership_id": str(pid),
        "contact_email": "not-an-email",
        "contact_phone": "۶۱۳ ۵۵۵ ۰۱۹۹",
        "contact_url": "https://lip.example",
        "name-ti": "ሽርክና",
        "note-so": "Wac maanta.",
    }
    bad = client.post("/admin/settings/contact", data=data)
    assert bad.status_code == 400
    assert 'value="not-an-email"' in bad.text and 'value="ሽርክና"' in bad.text
    saved = client.post("/admin/settings/contact", data={**data, "contact_email": "a@lip.example"})
    assert saved.status_code == 302
    with app.app_context():
        partnership = db.session().get(Partnership, pid)
        assert partnership.contact_phone == "613 555 0199"
        assert partnership.public_names == {"ti": "ሽርክና"}
        assert partnership.contact_notes == {"so": "Wac maanta."}
    assert "ሽርክና" in client.get(f"/s/{SLUG}/?lang=ti").text


def test_isolation_never_lands_in_an_attribute_or_the_title(app, client):
    start(client, SLUG, "fa")
    pages = [client.get(f"/s/{SLUG}/?lang=fa").text, client.get(f"/s/{SLUG}/p/1").text]
    pages += [
        client.get(path + "?lang=ar").text for path in ("/focus-groups", "/resume", "/withdraw")
    ]
    assert all(html.count("<bdi") for html in pages[2:])  # the examples in the hints
    for html in pages:
        assert not re.search(r'="[^"]*<bdi', html)
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert "<" not in title
