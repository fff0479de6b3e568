"""Scoring: read a predictions file, validate it, split public/private, compute the metric."""
