"""Understanding: the joint intent + slot model, its data, training records and metrics."""
