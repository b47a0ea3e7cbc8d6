"""Admin pages: the audit log and the partnership's retention settings."""
