"""Views of the catalog app: `public` (catalog and credential pages) and `studio` (design studio)."""
