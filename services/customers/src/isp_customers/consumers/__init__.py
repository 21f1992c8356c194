"""Events of other services → the use cases that keep the replicas and react to billing."""
