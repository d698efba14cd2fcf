"""Reusing the work of earlier builds: the caches, the record of what each page read, the
worker pool.
"""
