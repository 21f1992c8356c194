from isp_customers.domain.read_models import provisioning_status
from isp_customers.domain.status import ProvisioningStatus

PROVISIONED, FAILED, PENDING = (
    ProvisioningStatus.PROVISIONED,
    ProvisioningStatus.FAILED,
    ProvisioningStatus.PENDING,
)


def test_nothing_reported_yet_is_pending() -> None:
    assert provisioning_status(None, None, 1) is PENDING


def test_a_report_about_the_current_version_stands() -> None:
    assert provisioning_status(PROVISIONED, 4, 4) is PROVISIONED
    assert provisioning_status(FAILED, 4, 4) is FAILED


def test_a_customer_changed_since_the_report_is_pending() -> None:
    assert provisioning_status(PROVISIONED, 3, 4) is PENDING
    assert provisioning_status(FAILED, 3, 4) is PENDING


def test_a_report_without_a_version_stands() -> None:
    assert provisioning_status(FAILED, None, 9) is FAILED
