"""SQL, the unit of work and everything else that touches the outside world."""
