"""The reports page and its CSV downloads: who may see which rows, and exactly what they hold."""

import csv
import io
from datetime import timedelta

import pytest

from surgery.services import accounts, sessions
from tests.factories import NOW, PASSWORD, TODAY, approved_host, session_details
from tests.report_world import build_world
from tests.web.forms import submit

DAY = timedelta(days=1)
ADDRESSES = ("/host/reports", "/host/reports/sessions.csv", "/host/reports/towns.csv")
SESSION_HEADERS = [
    "Date",
    "Session",
    "Town",
    "Status",
    "Requests",
    "Pairings agreed",
    "Came",
    "Did not come",
    "Outcomes recorded",
    "Got going: yes",
    "Got going: partly",
    "Got going: not yet",
    "Three-month answers",
    "Average change (1 to 5)",
]
TOWN_HEADERS = ["Town", "Sessions", *SESSION_HEADERS[4:]]


def day(days_ago: int) -> str:
    return (TODAY - days_ago * DAY).isoformat()


SPRING = [day(40), "Moseley, spring", "Birmingham", "Completed", "6", "3", "3", "2", "4", "1", "1",
          "0", "2", "4.5"]  # fmt: skip
KINGS_HEATH = [day(30), "Kings Heath", "Birmingham", "Completed", "1", "0", "1", "0", "1", "0", "0",
               "1", "1", "2.0"]  # fmt: skip
MANCHESTER = [day(20), "Manchester meet-up", "Manchester", "Cancelled", "1", "0", "0", "0", "0",
              "0", "0", "0", "0", ""]  # fmt: skip
AUTUMN = [day(10), "Moseley, autumn", "Birmingham", "Completed", "2", "0", "1", "0", "1", "0", "0",
          "0", "0", ""]  # fmt: skip
NO_TOWN_ANSWERS = ["0", "0", "0", "0", "0", "0", "0", "0", ""]

# What each visitor downloads, for the last twelve months: sessions, then towns.
DOWNLOADS = {
    "hana@example.org": (
        [SPRING, MANCHESTER, AUTUMN],
        [
            ["Birmingham", "2", "8", "3", "4", "2", "5", "1", "1", "0", "2", "4.5"],
            ["Manchester", "1", "1", *NO_TOWN_ANSWERS],
        ],
    ),
    "ben@example.org": (
        [KINGS_HEATH, AUTUMN],
        [["Birmingham", "2", "3", "0", "2", "0", "2", "0", "0", "1", "1", "2.0"]],
    ),
    "root@example.org": (
        [SPRING, KINGS_HEATH, MANCHESTER, AUTUMN],
        [
            ["Birmingham", "3", "9", "3", "5", "2", "6", "1", "1", "1", "3", "3.7"],
            ["Manchester", "1", "1", *NO_TOWN_ANSWERS],
        ],
    ),
}


@pytest.fixture
def world(app):
    built = build_world()
    token = accounts.password_url(built.admin).rsplit("/", 1)[1]
    accounts.set_password(accounts.account_for_password_token(token), PASSWORD, NOW)
    return built


def sign_in_as(client, email: str) -> None:
    submit(client, "/host/sign-in", {"email": email, "password": PASSWORD})


def rows_of(response) -> list[list[str]]:
    """The CSV as a spreadsheet reads it: a byte order mark, then rows."""
    text = response.get_data().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("address", ADDRESSES)
def test_signed_out_visitors_are_asked_to_sign_in(client, address):
    response = client.get(address)
    assert response.status_code == 302
    assert "/host/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("email", DOWNLOADS)
def test_each_download_holds_exactly_the_rows_its_visitor_may_see(client, world, email):
    sign_in_as(client, email)
    session_csv = client.get("/host/reports/sessions.csv")
    town_csv = client.get("/host/reports/towns.csv")
    sessions_expected, towns_expected = DOWNLOADS[email]
    assert rows_of(session_csv) == [SESSION_HEADERS, *sessions_expected]
    assert rows_of(town_csv) == [TOWN_HEADERS, *towns_expected]
    assert session_csv.mimetype == "text/csv"
    assert session_csv.headers["Cache-Control"] == "no-store", "not kept on a shared computer"
    assert session_csv.headers["Content-Disposition"] == (
        f'attachment; filename="surgery-sessions-report-{TODAY.isoformat()}.csv"'
    )
    assert town_csv.headers["Content-Disposition"] == (
        f'attachment; filename="surgery-towns-report-{TODAY.isoformat()}.csv"'
    )
    # Counts only: no one's name or email address, nor a host's.
    for text in (session_csv.get_data(as_text=True), town_csv.get_data(as_text=True)):
        assert "@" not in text and "Hana" not in text and "Wanda" not in text


def test_the_page_shows_the_hosts_own_sessions_and_links_the_downloads(client, world):
    sign_in_as(client, "ben@example.org")
    page = client.get("/host/reports")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Kings Heath" in html and "Moseley, autumn" in html
    assert "Moseley, spring" not in html and "Manchester meet-up" not in html
    assert "What the columns mean" in html
    first, last = (TODAY.replace(year=TODAY.year - 1), TODAY)
    period = f"first={first.isoformat()}&amp;last={last.isoformat()}"
    assert f"/host/reports/sessions.csv?{period}" in html
    assert f"/host/reports/towns.csv?{period}" in html


def test_a_chosen_period_is_shown_and_downloaded(client, world):
    sign_in_as(client, "root@example.org")
    period = f"first={day(30)}&last={day(20)}"
    html = client.get(f"/host/reports?{period}").get_data(as_text=True)
    assert "Kings Heath" in html and "Manchester meet-up" in html
    assert "Moseley, spring" not in html and "Moseley, autumn" not in html
    downloaded = rows_of(client.get(f"/host/reports/sessions.csv?{period}"))
    assert downloaded == [SESSION_HEADERS, KINGS_HEATH, MANCHESTER]


def test_a_period_that_ends_before_it_starts_is_refused(client, host):
    sign_in_as(client, "hana@example.org")
    period = f"first={day(1)}&last={day(2)}"
    page = client.get(f"/host/reports?{period}")
    assert page.status_code == 400
    assert "The last day must be the same as or after the first day" in page.get_data(as_text=True)
    assert client.get(f"/host/reports/towns.csv?{period}").status_code == 400
    assert client.get("/host/reports/sessions.csv?first=yesterday").status_code == 400


def test_a_day_far_in_the_future_is_a_typing_slip_not_a_crash(client, host):
    sign_in_as(client, "hana@example.org")
    far = f"first={day(30)}&last={TODAY.replace(year=9999, day=1).isoformat()}"
    page = client.get(f"/host/reports?{far}")
    assert page.status_code == 400
    assert "Enter a day from 2000 to 2099" in page.get_data(as_text=True)
    assert client.get(f"/host/reports/sessions.csv?{far}").status_code == 400


FORMULAS = ['=HYPERLINK("http://evil.example","Open")', "+1+1", "-2+3", "@SUM(A1)"]


def test_a_title_a_spreadsheet_would_run_as_a_formula_is_downloaded_as_text(client, host):
    ahead = TODAY + 7 * DAY
    for title in FORMULAS:
        made = sessions.create_session(host, session_details(title=title, day=ahead), NOW)
        sessions.move_session(host, made, "publish", NOW)
    sign_in_as(client, "hana@example.org")
    period = f"first={TODAY.isoformat()}&last={ahead.isoformat()}"
    downloaded = rows_of(client.get(f"/host/reports/sessions.csv?{period}"))
    assert [row[1] for row in downloaded[1:]] == ["'" + title for title in FORMULAS]
    page = client.get(f"/host/reports?{period}").get_data(as_text=True)
    assert "+1+1" in page and "'+1+1" not in page, "the page shows the title as typed"


def test_another_hosts_sessions_are_never_in_a_hosts_download(client, host):
    other = approved_host("ola@example.org")
    made = sessions.create_session(other, session_details(title="Ola's session"), NOW)
    sessions.move_session(other, made, "publish", NOW)
    sign_in_as(client, "hana@example.org")
    period = f"first={TODAY.isoformat()}&last={(TODAY + 60 * DAY).isoformat()}"
    assert rows_of(client.get(f"/host/reports/sessions.csv?{period}")) == [SESSION_HEADERS]
    assert rows_of(client.get(f"/host/reports/towns.csv?{period}")) == [TOWN_HEADERS]
