"""Weather conditions and forecasts for a place and day, from a configurable web service."""
