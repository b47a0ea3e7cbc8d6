from consult import create_app


def test_config_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CONSULT_DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite3")
    monkeypatch.setenv("CONSULT_SECRET_KEY", "from-env")
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app()
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path}/x.sqlite3"
    assert app.config["SECRET_KEY"] == "from-env"
    assert (tmp_path / "instance").is_dir()


def test_default_database_is_sqlite_under_instance(monkeypatch, tmp_path):
    monkeypatch.delenv("CONSULT_DATABASE_URL", raising=False)
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path / "inst"))
    app = create_app()
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path}/inst/consult.sqlite3"


def test_test_config_overrides_environment(tmp_path):
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path}/t.db"})
    assert app.testing
    assert app.config["DATABASE_URL"].endswith("t.db")


def test_security_headers_on_every_response(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert client.get("/no-such-page").headers["X-Content-Type-Options"] == "nosniff"
