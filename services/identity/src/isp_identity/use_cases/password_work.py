"""argon2 off the event loop: one verification costs tens of milliseconds of CPU, during which
the process would answer nobody else. argon2-cffi releases the GIL, so a worker thread lets the
loop go on serving while the hash is computed."""

from __future__ import annotations

import asyncio

from isp_identity.use_cases.ports import Passwords


async def verify_password(passwords: Passwords, password_hash: str | None, password: str) -> bool:
    return await asyncio.to_thread(passwords.verify, password_hash, password)


async def hash_password(passwords: Passwords, password: str) -> str:
    return await asyncio.to_thread(passwords.hash, password)
