"""Sets, raises, lowers and mutes the output volume."""
