"""One module per use case: each an async function of a unit of work and a command."""
