import re

from sqlalchemy import select

from analysis.agreement import kappa_per_theme
from consult import db
from consult.auth.services import add_user, find_partnership
from consult.coding.models import CodingSample, SampleCoding
from consult.models import Role
from tests.conftest import csrf_from, sign_in
from tests.consult.walker import complete

FIRST = ("researcher@demo.consult.local", "demo-researcher-password")
SECOND = ("second@demo.consult.local", "second-researcher-password")


def code_all(client, sample_id, choose):
    for _ in range(20):
        page = client.get(f"/research/agreement/{sample_id}/code")
        if page.status_code == 302:
            return
        unit_id = int(re.search(r'name="unit_id" value="(\d+)"', page.text).group(1))
        assert "found automatically" not in page.text and "<mark" not in page.text  # blind
        client.post(
            f"/research/agreement/{sample_id}/code",
            data={
                "csrf_token": csrf_from(page.text),
                "unit_id": unit_id,
                "themes": choose(unit_id),
            },
        )


def test_two_researchers_code_blind_and_see_kappa(app, client):
    complete(client, "needs-assessment", "en", text="The rent is too high.")
    complete(client, "needs-assessment", "en", text="I need a job in my field.")
    with app.app_context():
        add_user(
            db.session(),
            SECOND[0],
            SECOND[1],
            Role.RESEARCHER,
            find_partnership(db.session(), "demo-lip"),
        )
        db.commit()
    sign_in(client, *FIRST)
    page = client.get("/research/agreement/")
    response = client.post(
        "/research/agreement/",
        data={"csrf_token": csrf_from(page.text), "name": "Pilot", "size": "6"},
    )
    sample_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        unit_ids = db.session().get(CodingSample, sample_id).unit_ids
    assert len(unit_ids) == 6
    code_all(client, sample_id, lambda u: ["housing"] if u % 2 else [])
    other = app.test_client()
    sign_in(other, *SECOND)
    code_all(other, sample_id, lambda u: ["housing"] if u % 3 else [])
    result = other.get(f"/research/agreement/{sample_id}")
    assert result.status_code == 200
    a = {str(u): ({"housing"} if u % 2 else set()) for u in unit_ids}
    b = {str(u): ({"housing"} if u % 3 else set()) for u in unit_ids}
    expected = kappa_per_theme(a, b, [str(u) for u in unit_ids], ["housing"])["housing"]
    row = result.text.split(">Housing<", 1)[1].split("</tr>", 1)[0]
    shown = f"{expected.kappa:.2f}" if expected.kappa is not None else "undefined"
    assert shown in row
    assert "Automatic coding compared with researcher@demo.consult.local" in result.text
    with app.app_context():
        assert len(db.session().scalars(select(SampleCoding)).all()) == 12


def test_sample_size_is_checked_and_values_kept(client):
    sign_in(client, *FIRST)
    page = client.get("/research/agreement/")
    response = client.post(
        "/research/agreement/",
        data={"csrf_token": csrf_from(page.text), "name": "Mine", "size": "9999"},
    )
    assert response.status_code == 200
    assert "between 5 and 500" in response.text and 'value="Mine"' in response.text
