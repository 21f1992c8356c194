from hypothesis import given
from hypothesis import strategies as st

from isp_common.pagination import Page, PageRequest


@given(st.integers(1, 1000), st.integers(1, 100))
def test_offsets_tile_the_result_without_gaps(page: int, per_page: int) -> None:
    current = PageRequest(page, per_page)
    following = PageRequest(page + 1, per_page)
    assert following.offset == current.offset + current.limit


def test_meta_reports_the_request_and_total() -> None:
    page = Page(items=[1, 2], total=7, request=PageRequest(2, 2))
    assert page.meta() == {"page": 2, "per_page": 2, "total": 7}
