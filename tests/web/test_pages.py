from surgery import create_app
from surgery.vocabulary import Level


def test_home_page_explains_the_service(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<h1>Get help online from a local volunteer</h1>" in page
    assert 'href="#main-content"' in page


def test_about_page_carries_the_open_government_licence_attribution(client):
    page = client.get("/about").get_data(as_text=True)
    assert "Contains OS data © Crown copyright and database right 2024" in page
    assert "Contains Royal Mail data © Royal Mail copyright and database right 2024" in page
    assert "Contains National Statistics data © Crown copyright and database right 2024" in page


def test_about_page_explains_every_level_in_plain_words(client):
    page = client.get("/about").get_data(as_text=True)
    for level in Level:
        assert level.title in page
        assert level.explanation in page


def test_unknown_page_gets_our_own_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_a_crash_shows_a_calm_500_page():
    app = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://", PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("deliberate")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Sorry, there is a problem with the service" in page
    assert "deliberate" not in page


def test_static_assets_are_served_by_the_app_itself(client):
    page = client.get("/").get_data(as_text=True)
    assert 'href="/static/css/surgery.css"' in page
    assert "://" not in page.split("<body>")[0], "no asset may come from another host"
    assert client.get("/static/css/surgery.css").status_code == 200


def test_private_pages_are_not_cached_and_no_page_leaks_its_address(client):
    public = client.get("/")
    assert public.headers["Referrer-Policy"] == "same-origin"
    assert "no-store" not in public.headers.get("Cache-Control", "")
    private = client.get("/manage/a1-made-up")
    assert private.headers["Cache-Control"] == "no-store"
    assert client.get("/host/sign-in").headers["Cache-Control"] == "no-store"
