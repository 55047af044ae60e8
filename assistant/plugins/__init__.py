"""Plugins: intents declared in ``intents.yaml`` plus handler code, found through entry points."""
