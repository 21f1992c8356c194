async def test_the_service_answers_ready(tenant) -> None:  # type: ignore[no-untyped-def]
    async with tenant.anonymous_client() as client:
        response = await client.get("http://identity/readyz")
    assert response.status_code == 200, response.text
