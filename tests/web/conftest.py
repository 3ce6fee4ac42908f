"""Fixtures the page tests share."""

import pytest

from tests.factories import approved_host


@pytest.fixture
def host(app):
    """An approved host, Hana, with the tests' password."""
    return approved_host()
