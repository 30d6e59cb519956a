"""Customer segments, their economics, profiles and value maps (built in later steps)."""
