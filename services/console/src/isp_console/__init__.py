"""The operator console and the subscriber portal (docs/console.md)."""
