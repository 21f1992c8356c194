"""The customer's rules, free of frameworks: entity, lifecycle, placement, listing rules."""
