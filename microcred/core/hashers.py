"""Password hashing: Argon2id, the hasher Django recommends, at a cost that keeps signing in
quick.

Django's own Argon2 defaults (100 MiB, two passes, eight lanes) take 0.2–0.4 s per sign-in on
a two-core server. This uses the first setting OWASP's Password Storage Cheat Sheet lists for
Argon2id (46 MiB of memory, one pass, one lane): about 60 ms here. Hashes made with other
settings, and the PBKDF2 hashes of accounts made before, are re-hashed with these the next
time their owner signs in (Django's `check_password` upgrades them)."""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2Hasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 47_104  # KiB
    parallelism = 1
