"""Page contexts: one frozen dataclass per page type, built from computed reports.

Everything a template shows is decided here (texts, formatted figures,
links, finished chart SVGs); templates only lay it out.
"""
