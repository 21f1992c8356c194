"""Each service's own RabbitMQ user, and what it may do: the one table compose and Kubernetes
are both generated from, so the two cannot drift from each other or from the topology.

A service's user may
- publish on the events exchange only routing keys of its own events (`<prefix>.…`: the prefix of
  the event types it registers in isp_common.contracts; `mikrotik` for the agent), checked by the
  broker's topic permissions;
- bind its queues only with the patterns of isp_common.messaging.topology (topic read);
- declare, bind, consume and purge only its own queues and their dead-letter queues, and declare
  the events exchange and its own dead-letter exchange (vhost configure / write / read);
- publish on its own dead-letter exchange, through which the consumer moves a failed message to
  its dead-letter queue, and which is bound to nothing but those queues.

No write on the default exchange (`amq.default`): it knows no topic permissions and reaches every
queue by name, so with it a user could put a forged event into another service's queue
(docs/security.md). Replaying dead letters is the admin's (docs/operations.md).

`isp broker-definitions` writes the compose broker's definitions file (users with password
hashes from ISP_BROKER_PASSWORD_<SCHEMA>, permissions, topic permissions); deploy/k8s/generate.py
writes the messaging-topology-operator's User / Permission / TopicPermission from the same
`grants()`.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from isp_common.contracts import all_contracts
from isp_common.messaging.topology import PLATFORM_QUEUES, dead_letter_exchange_name
from isp_common.settings import SERVICE_PORTS, Settings

# The routing-key prefix of a service's events, when it is not the service's name.
EVENT_PREFIXES: dict[str, str] = {"mikrotik-agent": "mikrotik"}
VHOST = "/"
ADMIN_USER = "isp-admin"
PASSWORD_PREFIX = "ISP_BROKER_PASSWORD_"
ADMIN_PASSWORD = "ISP_BROKER_ADMIN_PASSWORD"


@dataclass(frozen=True)
class Grant:
    """One service's user and its permissions (RabbitMQ regular expressions)."""

    service: str
    user: str
    configure: str
    write: str
    read: str
    topic_exchange: str
    topic_write: str
    topic_read: str


def user_name(service: str) -> str:
    return f"isp-{service}"


def password_variable(service: str) -> str:
    return PASSWORD_PREFIX + service.replace("-", "_").upper()


def event_prefix(service: str) -> str:
    return EVENT_PREFIXES.get(service, service)


def _exactly(names: Iterable[str]) -> str:
    return "^(" + "|".join(re.escape(name) for name in sorted(set(names))) + ")$"


def own_queues(service: str, settings: Settings) -> list[str]:
    prefix = settings.queue_prefix
    names = []
    for spec in PLATFORM_QUEUES:
        if spec.service == service:
            names += [f"{prefix}{spec.base_name}", f"{prefix}{spec.base_name}.dead"]
    return names


def own_dead_letter_exchanges(service: str, settings: Settings) -> list[str]:
    return sorted(
        {dead_letter_exchange_name(settings, s) for s in PLATFORM_QUEUES if s.service == service}
    )


def grant(service: str, settings: Settings | None = None) -> Grant:
    settings = settings or Settings()
    exchange = settings.events_exchange
    # Write on a queue is what binding it takes; read on an exchange, binding a queue to it.
    own = [*own_queues(service, settings), *own_dead_letter_exchanges(service, settings)]
    bindings = [p for spec in PLATFORM_QUEUES if spec.service == service for p in spec.bindings]
    return Grant(
        service=service,
        user=user_name(service),
        configure=_exactly([exchange, *own]),
        write=_exactly([exchange, *own]),
        read=_exactly([exchange, *own]),
        topic_exchange=exchange,
        topic_write="^" + re.escape(event_prefix(service) + "."),
        # A service without a queue binds nothing: a pattern no routing key matches.
        topic_read=_exactly(bindings) if bindings else "^$.",
    )


def grants(settings: Settings | None = None) -> list[Grant]:
    return [grant(service, settings) for service in SERVICE_PORTS]


def unowned_event_types() -> list[str]:
    """Registered event types no service's user may publish (must stay empty)."""
    prefixes = {event_prefix(service) for service in SERVICE_PORTS}
    return [c.type for c in all_contracts() if c.type.split(".", 1)[0] not in prefixes]


def password_hash(password: str, salt: bytes | None = None) -> str:
    """RabbitMQ's rabbit_password_hashing_sha256: base64(salt + sha256(salt + password))."""
    salt = os.urandom(4) if salt is None else salt
    return base64.b64encode(salt + hashlib.sha256(salt + password.encode()).digest()).decode()


class MissingBrokerPassword(Exception):
    pass


def _password(environ: Mapping[str, str], variable: str) -> str:
    value = environ.get(variable, "").strip()
    if not value:
        raise MissingBrokerPassword(f"{variable} is not set")
    return value


def definitions(
    environ: Mapping[str, str] | None = None, settings: Settings | None = None
) -> dict[str, Any]:
    """The broker's definitions file: the operators' admin user and every service's user with
    its permissions. Passwords come from the environment and are stored hashed."""
    environ = os.environ if environ is None else environ
    every = grants(settings)
    users = [
        {
            "name": ADMIN_USER,
            "password_hash": password_hash(_password(environ, ADMIN_PASSWORD)),
            "hashing_algorithm": "rabbit_password_hashing_sha256",
            "tags": ["administrator"],
        }
    ]
    permissions = [
        {"user": ADMIN_USER, "vhost": VHOST, "configure": ".*", "write": ".*", "read": ".*"}
    ]
    topic_permissions = []
    for g in every:
        users.append(
            {
                "name": g.user,
                "password_hash": password_hash(_password(environ, password_variable(g.service))),
                "hashing_algorithm": "rabbit_password_hashing_sha256",
                "tags": [],
            }
        )
        permissions.append(
            {
                "user": g.user,
                "vhost": VHOST,
                "configure": g.configure,
                "write": g.write,
                "read": g.read,
            }
        )
        topic_permissions.append(
            {
                "user": g.user,
                "vhost": VHOST,
                "exchange": g.topic_exchange,
                "write": g.topic_write,
                "read": g.topic_read,
            }
        )
    return {
        "users": users,
        "vhosts": [{"name": VHOST}],
        "permissions": permissions,
        "topic_permissions": topic_permissions,
    }


def rabbitmqctl_commands(g: Grant, password: str, vhost: str = VHOST) -> list[list[str]]:
    """The same grant as rabbitmqctl arguments (a broker without definitions; the tests)."""
    return [
        ["add_user", g.user, password],
        ["set_permissions", "-p", vhost, g.user, g.configure, g.write, g.read],
        [
            "set_topic_permissions",
            "-p",
            vhost,
            g.user,
            g.topic_exchange,
            g.topic_write,
            g.topic_read,
        ],
    ]
