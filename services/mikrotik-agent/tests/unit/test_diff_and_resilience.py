from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime

from isp_mikrotik_agent.domain.desired import Subscriber, SuspensionSettings
from isp_mikrotik_agent.domain.diff import ChangeKind, plan_changes
from isp_mikrotik_agent.domain.resilience import BreakerState, CircuitBreaker, backoff
from isp_mikrotik_agent.domain.router_objects import ObservedObject, desired_objects, queue_name

NOW = datetime.now(UTC)


def subscriber(**overrides: object) -> Subscriber:
    values: dict[str, object] = {
        "customer_id": uuid.uuid4(),
        "customer_code": "C-1",
        "status": "active",
        "is_deleted": False,
        "pppoe_username": "alice",
        "pppoe_password": "pw",
        "remote_address": None,
        "plan_upload": 1000,
        "plan_download": 2000,
    }
    values.update(overrides)
    return Subscriber(**values)  # type: ignore[arg-type]


SCOPE = uuid.UUID("00000000-0000-4000-8000-00000000000a")


def test_a_queue_change_is_a_set_without_a_disconnect() -> None:
    sub = subscriber()
    [secret, queue] = desired_objects(
        [sub], SuspensionSettings(), NOW, with_profile=False, scope=SCOPE
    )
    observed = [
        ObservedObject(secret.menu, "*1", {k: v for k, v in secret.attributes.items() if v}),
        ObservedObject(queue.menu, "*2", {**queue.attributes, "max-limit": "1/1"}),  # type: ignore[dict-item]
    ]
    changes = plan_changes([secret, queue], observed, scope=SCOPE)
    assert [(c.kind, c.attributes) for c in changes] == [
        (ChangeKind.SET, {"max-limit": "1000000/2000000"})
    ]


def test_suspension_moves_the_secret_and_drops_the_session() -> None:
    active = subscriber()
    [secret, _] = desired_objects(
        [active], SuspensionSettings(), NOW, with_profile=False, scope=SCOPE
    )
    observed = [
        ObservedObject(secret.menu, "*1", {k: v for k, v in secret.attributes.items() if v})
    ]
    suspended = desired_objects(
        [subscriber(customer_id=active.customer_id, status="suspended")],
        SuspensionSettings(),
        NOW,
        with_profile=False,
        scope=SCOPE,
    )
    kinds = [c.kind for c in plan_changes(suspended, observed, scope=SCOPE)]
    assert ChangeKind.DISCONNECT in kinds and kinds[-1] is ChangeKind.DISCONNECT


def test_untagged_objects_are_never_touched() -> None:
    observed = [ObservedObject("/ppp/secret", "*9", {"name": "manual", "comment": "mine"})]
    assert plan_changes([], observed, scope=SCOPE) == []


def test_queue_name_template_falls_back_on_unknown_fields() -> None:
    sub = subscriber()
    assert queue_name(sub, "q-{pppoe_username}") == "q-alice"
    assert queue_name(sub, "{nope}") == "C-1"


def test_breaker_opens_after_threshold_and_half_opens_after_cooldown() -> None:
    breaker = CircuitBreaker(threshold=2, cooldown=1.0)
    breaker.record_failure(0.0)
    assert breaker.allows(0.1)
    breaker.record_failure(0.2)
    assert breaker.state(0.5) is BreakerState.OPEN
    assert breaker.state(1.3) is BreakerState.HALF_OPEN
    breaker.record_failure(1.3)  # failed trial: open for longer
    assert breaker.current_cooldown == 2.0
    breaker.record_success()
    assert breaker.state(1.4) is BreakerState.CLOSED


def test_backoff_is_bounded_and_jittered() -> None:
    rng = random.Random(1)
    delays = [backoff(n, base=0.1, cap=2.0, rng=rng) for n in range(1, 10)]
    assert all(0 < d <= 2.0 for d in delays)
    assert delays[-1] >= 1.0
