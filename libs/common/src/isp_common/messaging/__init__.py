"""The event path: envelope, outbox relay, consumer with inbox, topology (docs/architecture.md)."""
