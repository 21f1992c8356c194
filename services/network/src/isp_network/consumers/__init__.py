"""Events of other services → the use cases that keep the replicas, device state and samples."""
