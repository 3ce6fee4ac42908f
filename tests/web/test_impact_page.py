"""The public impact page: its figures, filters, charts and the small-number rule."""

import re
from html.parser import HTMLParser

import pytest

from surgery.services.demo import load_demo
from tests import impact_world
from tests.factories import NOW, TODAY


@pytest.fixture
def world(host):
    return impact_world.build(host)


class Figures(HTMLParser):
    """The page's figures as {term: words}, from its <dl class="figures">."""

    def __init__(self):
        super().__init__()
        self.figures, self.inside, self.term, self.part = {}, False, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "dl" and ("class", "figures") in attrs:
            self.inside = True
        elif self.inside and tag in ("dt", "dd"):
            self.part = tag

    def handle_endtag(self, tag):
        if tag == "dl":
            self.inside = False
        elif tag in ("dt", "dd"):
            self.part = None

    def handle_data(self, data):
        text = " ".join(data.split())
        if not (self.inside and self.part and text):
            return
        if self.part == "dt":
            self.term = text
            self.figures[text] = ""
        else:
            self.figures[self.term] = f"{self.figures[self.term]} {text}".strip()


def figures_on(page: str) -> dict[str, str]:
    parser = Figures()
    parser.feed(page)
    return parser.figures


def test_the_page_shows_every_figure_everywhere_for_all_time(client, world):
    page = client.get("/impact").get_data(as_text=True)
    assert figures_on(page) == {
        "Sessions held": "3",
        "Towns": "3",
        "Groups helped": "6",
        "Volunteers": "5",
        "Hours volunteers gave": "13",
        "Got going a week on": "Not shown: too few said yes, or too few did not",
        "Change after three months": "3.6 out of 5 on average, from 5 groups",
    }


def test_a_small_town_says_fewer_than_five_instead_of_a_figure(client, world):
    page = client.get("/impact?town=wv&period=all").get_data(as_text=True)
    assert figures_on(page) == {
        "Sessions held": "1",
        "Towns": "1",
        "Groups helped": "Fewer than 5",
        "Volunteers": "Fewer than 5",
        "Hours volunteers gave": "Fewer than 5",
        "Got going a week on": "Fewer than 5",
        "Change after three months": "Fewer than 5",
    }
    assert "<svg" not in page
    assert "Our first online raffle raised £300." in page  # the group agreed to share it


def test_the_town_filter_offers_the_towns_that_have_sessions(client, world):
    page = client.get("/impact").get_data(as_text=True)
    offered = re.findall(r'<option[^>]*value="([a-z]+)"[^>]*>([^<]+)</option>', page)
    towns = [(value, name) for value, name in offered if value not in ("all", "year", "quarter")]
    assert towns == [("ba", "Bath"), ("b", "Birmingham"), ("wv", "Wolverhampton")]


def test_each_chart_has_words_for_a_screen_reader_and_its_figures_in_a_table(client, app):
    """The demo's history: 24 groups answered a week on, 16 yes, 5 partly, 3 not yet (left out);
    of the ten volunteers who helped, six offer Facebook (Sam, Mark, Priya, Ade, Ruth, James) and
    no other skill is offered by five."""
    load_demo(NOW)
    page = client.get("/impact").get_data(as_text=True)
    assert figures_on(page)["Got going a week on"] == "67% of 24 groups who answered"
    chart_words = r'<svg [^>]*role="img"[^>]*>\s*<title>([^<]+)</title>\s*<desc>([^<]+)</desc>'
    charts = re.findall(chart_words, page)
    assert charts[0] == ("A week on: did groups get going?", "Yes: 16 groups; Partly: 5 groups")
    assert [title for title, _ in charts] == [
        "A week on: did groups get going?",
        "Three months on: how much has changed?",
        "Skills groups asked for",
        "Skills volunteers offered",
    ]
    assert charts[3] == ("Skills volunteers offered", "Facebook: 6 volunteers")
    assert re.search(r'<th scope="row">Yes</th><td class="numeric">16</td>', page)
    assert '<th scope="row">Not yet</th>' not in page


def test_a_chart_shows_no_answer_given_by_fewer_than_five_groups(client, world):
    page = client.get("/impact").get_data(as_text=True)
    titles = re.findall(r"<svg [^>]*>\s*<title>([^<]+)</title>", page)
    assert titles == ["Skills groups asked for", "Skills volunteers offered"]
    assert re.search(r'<th scope="row">Email newsletters</th><td class="numeric">8</td>', page)


def test_stories_show_the_organisation_and_never_a_persons_name(client, world):
    page = client.get("/impact").get_data(as_text=True)
    assert "Twice as many at our coffee mornings." in page
    assert "Moseley group 0" in page
    assert "Maya" not in page  # every test group is Maya Patel
    assert "We keep this to ourselves." not in page


def test_an_unknown_town_or_period_is_a_question_to_answer_again(client, world):
    response = client.get("/impact?town=zz&period=forever")
    assert response.status_code == 400
    assert "Choose from the list" in response.get_data(as_text=True)


def test_an_empty_service_shows_noughts_and_no_chart(client, app):
    page = client.get("/impact").get_data(as_text=True)
    assert figures_on(page)["Sessions held"] == "0"
    assert figures_on(page)["Groups helped"] == "0"
    assert "<svg" not in page


def test_the_page_links_to_the_same_figures_in_the_open_data_api(client, world):
    page = client.get("/impact?town=b&period=quarter").get_data(as_text=True)
    api = re.search(r'<a href="(/api/v1/impact[^"]*)">these figures as JSON</a>', page)[1]
    figures = client.get(api.replace("&amp;", "&")).get_json()
    assert figures["town"] == {"slug": "b", "name": "Birmingham"}
    assert figures["groups_helped"] == 5
    assert figures["period"]["to"] == TODAY.isoformat()
