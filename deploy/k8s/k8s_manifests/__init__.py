"""The objects deploy/k8s/generate.py writes, one module per concern: `workloads` (Deployments,
Services, HPAs, PDBs), `access` (Secrets, NetworkPolicies) and `broker_users` (each service's
RabbitMQ user and its grants)."""
