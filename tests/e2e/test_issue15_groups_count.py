"""Issue 15: a long answer is counted as it is typed, in a real browser, and never cut off."""

import pytest

pytestmark = pytest.mark.e2e


def test_the_goal_box_counts_down_and_keeps_every_character(page, base_url, assert_accessible):
    page.goto(f"{base_url}/ask/goal")
    box = page.get_by_label("What do you want to achieve?")
    status = page.locator(".character-count__status")
    assert status.inner_text() == "You have 1,000 characters remaining"
    assert "visually-hidden" in page.locator("#goal-info").get_attribute("class"), "the count shows"

    box.fill("x" * 1001)

    assert len(box.input_value()) == 1001, "nothing typed is cut off"
    assert status.inner_text() == "You have 1 character too many"
    assert "error-message" in status.get_attribute("class")
    announced = page.locator('[aria-live="polite"]')
    page.wait_for_function(
        "element => element.textContent === 'You have 1 character too many'",
        arg=announced.element_handle(),
    )
    assert_accessible(page)

    box.fill("Start a Facebook page.")
    assert status.inner_text() == "You have 978 characters remaining"
    assert "error-message" not in status.get_attribute("class")
