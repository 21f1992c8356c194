import pytest

from isp_common import errors


@pytest.mark.parametrize(
    ("error", "code", "status"),
    [
        (errors.ValidationFailed(), "VALIDATION_ERROR", 422),
        (errors.Unauthorized(), "UNAUTHORIZED", 401),
        (errors.Forbidden(), "FORBIDDEN", 403),
        (errors.NotFound("customer"), "NOT_FOUND", 404),
        (errors.Conflict(), "CONFLICT", 409),
        (errors.InvalidState("active", "pending_activation"), "INVALID_STATE", 409),
        (errors.RateLimited(), "RATE_LIMITED", 429),
        (errors.ExternalServiceError(), "EXTERNAL_SERVICE_ERROR", 502),
        (errors.ServiceUnavailable(), "SERVICE_UNAVAILABLE", 503),
    ],
)
def test_each_error_has_its_code_and_status(error: errors.AppError, code: str, status: int) -> None:
    assert (error.code, error.status) == (code, status)


def test_invalid_state_names_both_states() -> None:
    error = errors.InvalidState("terminated", "active")
    assert error.details == {"current_state": "terminated", "requested_state": "active"}
    assert "terminated" in error.message
