"""The HTTP edge: parse, authorize, call one use case, shape the answer. No business rules here."""
