"""Microcred: competency-based micro-credentials for educators."""
