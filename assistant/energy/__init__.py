"""Energy per request, with its source always named: RAPL (measured), battery (measured) or an estimate."""
