"""Shared contracts and plumbing of the ISP platform.

Only what every service needs the same way lives here: settings, logging, errors and the
response envelope, auth, the database unit of work with tenant row-level security, pagination,
money, secrets, idempotent writes, the event contracts (the published language) and messaging.
"""
