"""The subscriber portal."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, RedirectResponse

from isp_console.api.pages import Page, portal_page

router = APIRouter()


@router.get("/portal")
async def portal_root() -> RedirectResponse:
    return RedirectResponse("/portal/", status_code=308)


@router.get("/portal/", response_class=HTMLResponse)
async def account(page: Annotated[Page, Depends(portal_page)]) -> HTMLResponse:
    return page.render("portal/home.html")
