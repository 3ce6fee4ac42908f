"""The accessibility check itself: it must fail on a broken page and name what is wrong."""

import pytest

pytestmark = pytest.mark.e2e


def test_axe_check_fails_naming_the_rule_and_the_element(page, assert_accessible):
    page.set_content("<html><body><main><img src='photo.png'></main></body></html>")
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)
    assert "image-alt" in str(failure.value)
    assert "img" in str(failure.value)
