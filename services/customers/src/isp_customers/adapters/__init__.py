"""Postgres (all the SQL of the service) and the HTTP clients of other services."""
