"""Core indicators across partnerships, for umbrella analysts (see docs/umbrella.md)."""
