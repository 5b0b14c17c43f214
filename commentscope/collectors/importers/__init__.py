"""File importers: comments exported by other tools, mapped onto the comment record."""
