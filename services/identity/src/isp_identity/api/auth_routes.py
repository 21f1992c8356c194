from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
PUBLIC_AUTH_PATHS = ("/auth/token", "/auth/logout", "/auth/password/reset", "/auth/activate")
