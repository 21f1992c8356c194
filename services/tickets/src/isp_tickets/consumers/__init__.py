"""Events of other services → the use cases that keep the customer replica and react to it."""
