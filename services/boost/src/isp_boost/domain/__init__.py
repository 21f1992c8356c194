"""Pure rules of speed boosts: the request lifecycle, pricing, history."""
