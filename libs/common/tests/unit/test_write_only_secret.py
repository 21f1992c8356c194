"""A secret in a request body is taken exactly as sent, while plain texts are still trimmed."""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel, SecretStr, ValidationError

from isp_common.secrets import WriteOnlySecret
from isp_common.web import RequestModel


class Credentials(RequestModel):
    username: str
    password: WriteOnlySecret
    optional: WriteOnlySecret | None = None


class Plain(RequestModel):
    password: SecretStr


@pytest.mark.parametrize("secret", [" p a s s ", "\tpass\n", "   ", "x"])
def test_leading_and_trailing_whitespace_of_a_secret_is_kept(secret: str) -> None:
    python = Credentials(username="  budi  ", password=secret, optional=secret)
    from_json = Credentials.model_validate_json(_body(secret))
    for parsed in (python, from_json):
        assert parsed.password.get_secret_value() == secret
        assert parsed.optional is not None and parsed.optional.get_secret_value() == secret
        assert parsed.username == "budi"


def _body(secret: str) -> str:
    return json.dumps({"username": "  budi  ", "password": secret, "optional": secret})


def test_the_secret_stays_write_only_and_bounded() -> None:
    parsed = Credentials(username="u", password=" s ")
    assert " s " not in repr(parsed) and " s " not in parsed.model_dump_json()
    schema = Credentials.model_json_schema()["properties"]["password"]
    assert schema["writeOnly"] is True and (schema["minLength"], schema["maxLength"]) == (1, 256)
    for bad in ("", "x" * 257, 5):
        with pytest.raises(ValidationError):
            Credentials(username="u", password=bad)


def test_other_models_are_unchanged() -> None:
    """The exception is WriteOnlySecret's own: a bare SecretStr under the same config is trimmed
    as before, so no other schema was altered by building it."""
    assert Plain(password=" p ").password.get_secret_value() == "p"

    class Untouched(BaseModel):
        password: SecretStr

    assert Untouched(password=" p ").password.get_secret_value() == " p "
