"""The public impact page in a real browser: accessible, and its charts readable on a phone."""

import pytest

from surgery.services.demo import load_demo
from tests.factories import NOW

pytestmark = pytest.mark.e2e


@pytest.fixture
def world(base_url):
    load_demo(NOW)  # a history large enough for every chart to have something to show
    return base_url


def test_the_impact_page_has_no_accessibility_violations(page, world, assert_accessible):
    page.goto(world + "/impact")
    assert page.locator("h1").inner_text() == "What surgeries change"
    assert page.locator("figure.chart svg").count() == 4
    assert_accessible(page)
    page.goto(world + "/impact?town=zz")
    assert_accessible(page)


def test_on_a_320_pixel_phone_the_charts_fit_and_their_words_are_readable(browser, world):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(world + "/impact")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    # The smallest text in any chart, as drawn on the screen (its font size times the scale).
    smallest = page.evaluate(
        """() => Math.min(...[...document.querySelectorAll('figure.chart svg')].flatMap(svg => {
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return [...svg.querySelectorAll('text')].map(
                text => parseFloat(text.getAttribute('font-size')) * scale);
        }))"""
    )
    page.screenshot(path="/tmp/impact-320.png", full_page=True)
    context.close()
    assert overflow <= 0
    assert smallest >= 11
