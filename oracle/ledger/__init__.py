"""The platform history rebuilt from events: model (typed records) and replay."""
