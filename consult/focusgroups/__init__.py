"""Focus groups: newcomers sign up, researchers run sessions and record what was said."""
