import json
import logging
import uuid

import pytest
import structlog

from isp_common import context
from isp_common.logging import configure_logging, get_logger


@pytest.fixture(autouse=True)
def restore_logging():
    handlers = logging.getLogger().handlers[:]
    yield
    logging.getLogger().handlers[:] = handlers
    structlog.reset_defaults()
    structlog.contextvars.clear_contextvars()


def test_lines_are_json_with_service_request_and_tenant(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("customers", "INFO", json=True)
    tenant = uuid.uuid4()
    token = context.current.set(
        context.RequestContext(request_id="r-1", correlation_id="c-1", tenant_id=tenant)
    )
    try:
        get_logger("t").info("customer_created", customer_code="CUST-1")
        logging.getLogger("plain").warning("from the standard library")
    finally:
        context.current.reset(token)
    lines = [json.loads(line) for line in capsys.readouterr().out.strip().splitlines()]
    assert lines[0]["event"] == "customer_created"
    for line in lines:
        assert line["service"] == "customers"
        assert (line["request_id"], line["correlation_id"]) == ("r-1", "c-1")
        assert line["tenant_id"] == str(tenant)
        assert line["timestamp"].endswith("Z")
    assert lines[1]["level"] == "warning"
