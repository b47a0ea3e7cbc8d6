import gc
from tests.consult.test_manage import *
def test_a(app, client):
    sign_in(client, *RESEARCHER)
    response = upload(client, b"a" * (1024 * 1024 + 10), "huge.md")
    gc.collect()
def test_b(app, client):
    sign_in(client, *RESEARCHER)
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    response = upload(client, b"a" * (100 * 1024), "huge.md")
    gc.collect()
def test_c():
    gc.collect()
