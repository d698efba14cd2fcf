"""What the build derives from validated reports: rates, checks, plans' progress, the index of reports."""
