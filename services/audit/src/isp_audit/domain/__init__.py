"""Pure rules of the audit trail: categories, secret masking, the hash chain."""
