"""Pure rules of tickets: statuses, the workflow state machine, SLA due times, the entity."""
