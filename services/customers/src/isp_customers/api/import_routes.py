from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Response, UploadFile

from isp_common.auth import Principal
from isp_common.errors import ValidationFailed
from isp_common.web import Envelope, created, require

from isp_customers.api.csv_rows import parse_customer_csv
from isp_customers.api.dependencies import WRITERS, ReferencesDep, RuntimeDep
from isp_customers.api.presenters import present
from isp_customers.use_cases.import_customers import import_customers

router = APIRouter(prefix="/customers", tags=["customers"])

MAX_FILE_BYTES = 5 * 1024 * 1024


@router.post("/import", status_code=201, response_model=Envelope[dict[str, Any]])
async def import_csv(
    file: Annotated[
        UploadFile, File(description="CSV: a header of customer fields, one customer a row")
    ],
    runtime: RuntimeDep,
    references: ReferencesDep,
    principal: Principal = require(*WRITERS),
) -> Response:
    """All or nothing: one bad row and nothing is created; the answer lists every bad row (its
    line in the file, the header being line 1) with its errors."""
    content = await file.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        raise ValidationFailed(f"the file is larger than {MAX_FILE_BYTES} bytes")
    imported = await runtime.run(
        principal.tenant_id,
        import_customers,
        parse_customer_csv(content),
        secrets=runtime.secrets,
        references=references,
    )
    return created({"imported": len(imported), "customers": [present(item) for item in imported]})
