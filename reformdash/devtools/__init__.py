"""Developer tools that never run in a build: the synthetic province and the benchmarks.
They are outside the engine's fingerprint (`incremental/cache.py`): editing them keeps the caches.
"""
