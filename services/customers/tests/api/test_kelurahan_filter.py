from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conftest import Tenant

Body = Callable[..., dict[str, Any]]


async def test_the_list_filters_on_the_whole_kelurahan_in_any_case(
    tenant: Tenant, customer_body: Body
) -> None:
    plan = await tenant.seed_plan()
    admin = tenant.client("admin")
    for name, kelurahan in [
        ("Dewi Sartika", "Cihapit"),
        ("Ki Hajar", "Cihapit Baru"),
        ("Raden Ajeng", None),
    ]:
        extra = {"kelurahan": kelurahan} if kelurahan else {}
        answer = await admin.post(
            "/customers", json=customer_body(plan.id, full_name=name, **extra)
        )
        assert answer.status_code == 201, answer.text

    async def names(**params: Any) -> list[str]:
        answer = await tenant.client("viewer").get("/customers", params=params)
        assert answer.status_code == 200, answer.text
        return sorted(c["full_name"] for c in answer.json()["data"])

    assert await names(kelurahan="cihapit") == ["Dewi Sartika"]
    assert await names(kelurahan=" CIHAPIT BARU ") == ["Ki Hajar"]
    assert await names(kelurahan="Cihap") == []
    assert await names(kelurahan="") == ["Dewi Sartika", "Ki Hajar", "Raden Ajeng"]
