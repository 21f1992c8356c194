"""The event path: envelope, outbox relay, consumer with inbox, topology (DESIGN §4)."""
