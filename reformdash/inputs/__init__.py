"""Reading and checking the project's files: YAML with positions, the catalogue, reports, plans,
releases and the languages. Everything after this stage sees frozen model objects.
"""
