"""reformdash: builds the public CCHC reform-progress site from YAML data."""

__version__ = "0.1.0"
