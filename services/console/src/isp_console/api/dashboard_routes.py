"""The console's dashboard."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, RedirectResponse

from isp_console.api.pages import Page, console_page

router = APIRouter()


@router.get("/console")
async def console_root() -> RedirectResponse:
    return RedirectResponse("/console/", status_code=308)


@router.get("/console/", response_class=HTMLResponse)
async def dashboard(page: Annotated[Page, Depends(console_page)]) -> HTMLResponse:
    return page.render("console/home.html")
