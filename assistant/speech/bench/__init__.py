"""The speech-to-intent benchmark (Picovoice's coffee orders): grammar conversion, noise, scoring, runs."""
