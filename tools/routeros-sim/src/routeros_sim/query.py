"""RouterOS API print queries: a small stack machine over `?` words.

Each test word pushes one boolean: `?name` (the property is present), `?-name` (absent),
`?name=x` / `?=name=x` (equal), `?<name=x` / `?>name=x` (less / greater, numerically when both
sides are numbers). `?#` words operate on the stack: `!` negates the top, `&` and `|` combine the
top two, `.` duplicates the top. An item matches when every value left on the stack is true
(an empty query matches everything). This is what librouteros' Key / And / Or produce.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class InvalidQuery(ValueError):
    pass


def matches(item: Mapping[str, str], queries: Sequence[str]) -> bool:
    stack: list[bool] = []
    for word in queries:
        body = word[1:]
        if body.startswith("#"):
            _operate(stack, body[1:])
        else:
            stack.append(_test(item, body))
    return all(stack)


def _test(item: Mapping[str, str], body: str) -> bool:
    if body.startswith("-"):
        return body[1:] not in item
    operator = "="
    if body[:1] in ("=", "<", ">"):
        operator, body = body[0], body[1:]
    name, separator, expected = body.partition("=")
    if not separator:
        if operator != "=":
            raise InvalidQuery(body)
        return name in item
    actual = item.get(name)
    if operator == "=":
        # A property the item does not print compares as empty: `?comment=` finds the uncommented.
        return (actual or "") == expected
    if actual is None:
        return False
    left, right = _comparable(actual), _comparable(expected)
    if type(left) is not type(right):
        left, right = str(left), str(right)
    return left < right if operator == "<" else left > right  # type: ignore[operator]


def _comparable(value: str) -> int | str:
    try:
        return int(value)
    except ValueError:
        return value


def _operate(stack: list[bool], operations: str) -> None:
    for operation in operations:
        if operation == "!":
            _need(stack, 1)
            stack.append(not stack.pop())
        elif operation in "&|":
            _need(stack, 2)
            right, left = stack.pop(), stack.pop()
            stack.append(left and right if operation == "&" else left or right)
        elif operation == ".":
            _need(stack, 1)
            stack.append(stack[-1])
        else:
            raise InvalidQuery(f"?#{operations}")


def _need(stack: list[bool], count: int) -> None:
    if len(stack) < count:
        raise InvalidQuery("query stack underflow")
