"""One module per use case. Each runs inside one unit of work (one transaction) that its caller
opens and commits: an API route for commands and queries, the consumer for events (so that the
inbox row and the effects commit together)."""
