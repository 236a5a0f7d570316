"""Use cases as plain functions taking a session (and a model) explicitly; no web imports."""
