"""A queue's byte counters are running totals; a traffic sample carries the bytes of its
interval (what network sums into usage), so each reading is turned into the difference from
the one before."""

from __future__ import annotations

from uuid import UUID


class IntervalCounter:
    """Remembers each subscriber's last totals (in, out) on one router."""

    def __init__(self) -> None:
        self._last: dict[UUID, tuple[int, int]] = {}

    def interval(self, customer_id: UUID, total_in: int, total_out: int) -> tuple[int, int]:
        """Bytes since the previous reading. The first reading (after a start, or of a new
        queue) counts nothing: its total holds traffic that earlier samples may have counted.
        A total below the previous one means the counter restarted (a router reboot, a
        recreated queue): everything it holds is new."""
        previous = self._last.get(customer_id)
        self._last[customer_id] = (total_in, total_out)
        if previous is None:
            return 0, 0
        return _since(previous[0], total_in), _since(previous[1], total_out)


def _since(previous: int, total: int) -> int:
    return total - previous if total >= previous else total
