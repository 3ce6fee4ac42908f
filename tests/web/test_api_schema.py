"""The API answers as its own OpenAPI document says: schemathesis sends every operation what the
document allows (and what it does not) and checks each answer against it.

Positive cases must get a documented status with a body and headers that fit the document;
negative cases (a page of 0, a town of three letters) must be refused with a 4xx. No case may
get a server error. Deterministic (derandomize) and small enough to run in every suite.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from surgery.web.api.spec import OPERATIONS
from tests.factories import volunteer_signed_up
from tests.web import test_api

network = test_api.network

CONFORMANCE = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
CHECKS = {
    GenerationMode.POSITIVE: CONFORMANCE,
    GenerationMode.NEGATIVE: [*CONFORMANCE, negative_data_rejection],
}
EXAMPLES = 25


@pytest.fixture
def api_schema(app, network):
    """The document as the app serves it, bound to the app, with a volunteer at Moseley."""
    volunteer_signed_up(network["moseley"])
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def test_the_document_is_valid_openapi_3_1(api_schema):
    api_schema.validate()
    assert api_schema.raw_schema["openapi"] == "3.1.0"


def takes_arguments(endpoint: str) -> bool:
    return any(parameter["in"] != "header" for parameter in OPERATIONS[endpoint]["parameters"])


# Headers are strings whatever is sent, so an operation without query or path parameters has
# no way to be asked wrongly: only the others are sent negative cases.
ENDPOINTS = sorted(OPERATIONS)
CASES = [(endpoint, GenerationMode.POSITIVE) for endpoint in ENDPOINTS] + [
    (endpoint, GenerationMode.NEGATIVE) for endpoint in ENDPOINTS if takes_arguments(endpoint)
]


@pytest.mark.parametrize(("endpoint", "mode"), CASES)
def test_every_operation_answers_as_documented(api_schema, network, endpoint, mode):
    operation = api_schema.find_operation_by_id(endpoint.removeprefix("api."))
    cases = operation.as_strategy(generation_mode=mode)
    if endpoint == "api.session" and mode is GenerationMode.POSITIVE:
        # Mostly ids no session has; add the world's, the draft and the cancelled one included.
        ids = sorted(surgery_session.id for surgery_session in network.values())
        known = st.sampled_from(ids).flatmap(
            lambda row_id: operation.as_strategy(path_parameters={"session_id": row_id})
        )
        cases = st.one_of(cases, known)
    statuses = run(cases, CHECKS[mode])
    if mode is GenerationMode.POSITIVE:
        assert 200 in statuses, f"no case got an answer, only {sorted(statuses)}"


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_operation_answers_its_edge_cases_as_documented(api_schema, endpoint):
    """Schemathesis's coverage cases: each bound and its neighbour outside (per_page 100 and 101,
    page 0), each enum value and a value outside it, a missing or doubled parameter."""
    operation = api_schema.find_operation_by_id(endpoint.removeprefix("api."))
    generation = api_schema.config.generation_for(operation=operation, phase="coverage")
    modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    for case in api_schema.iter_coverage_cases(
        operation, generation_modes=modes, generation_config=generation
    ):
        checks = CHECKS[case.meta.generation.mode] if case.meta else CONFORMANCE
        case.call_and_validate(checks=checks)


def run(cases, checks) -> set[int]:
    """Send each case; return the statuses seen."""
    statuses = set()

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases)
    def answers_as_documented(case):
        statuses.add(case.call_and_validate(checks=checks).status_code)

    answers_as_documented()
    return statuses
