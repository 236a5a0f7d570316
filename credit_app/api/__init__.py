"""The versioned REST API, mounted into the Reflex app under /api/v1."""
