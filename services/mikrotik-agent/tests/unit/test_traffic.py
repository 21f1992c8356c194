from uuid import uuid4

from isp_mikrotik_agent.domain.traffic import IntervalCounter


def test_each_reading_carries_the_bytes_since_the_one_before() -> None:
    counter, customer = IntervalCounter(), uuid4()
    assert counter.interval(customer, 1_000, 500) == (0, 0)
    assert counter.interval(customer, 1_800, 650) == (800, 150)
    assert counter.interval(customer, 1_800, 650) == (0, 0)


def test_a_restarted_counter_counts_from_zero() -> None:
    counter, customer = IntervalCounter(), uuid4()
    counter.interval(customer, 9_000, 9_000)
    assert counter.interval(customer, 300, 40) == (300, 40)


def test_subscribers_are_counted_apart() -> None:
    counter, first, second = IntervalCounter(), uuid4(), uuid4()
    counter.interval(first, 100, 100)
    counter.interval(second, 5_000, 5_000)
    assert counter.interval(first, 150, 120) == (50, 20)
    assert counter.interval(second, 5_001, 5_000) == (1, 0)
