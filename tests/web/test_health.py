from surgery import create_app


def test_healthz_says_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"


def test_healthz_says_unavailable_when_the_database_does_not_answer(tmp_path):
    unreachable = f"sqlite:///{tmp_path / 'missing-folder' / 'surgery.sqlite3'}"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=unreachable)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"
