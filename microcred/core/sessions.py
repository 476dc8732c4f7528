"""Sessions kept in the database and read from the shared cache, with the signed-in person
read in the same round trip.

Django's cached_db store reads a session with one cache read; the signed-in person (user,
memberships, unread count, `core.usercache`) would be a second, and on a busy server each
round trip to the cache costs about as much as rendering the base layout. The person's id is
inside the session, so it is not known before the session is read; but a session key never
changes hands (signing in, out or as someone else gives the browser a new key), so once this
process has read a session it remembers whose it is, and from then on reads the session and
the person together (one MGET). The remembered id is only a hint: Django still takes the
user id from the session it read, and `usercache.get` uses what was read with it only when
the ids match.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import cached_db
from django.core.cache import caches

from microcred.core import usercache

# Session key → user id, per process; cleared when full (it is only a hint).
_HINTS: dict[str, int] = {}
_MAX_HINTS = 50_000


class SessionStore(cached_db.SessionStore):
    def load(self) -> dict[str, Any]:
        usercache.prefetched(None)
        session_key = self.session_key
        hint = _HINTS.get(session_key) if session_key and settings.SIGNED_IN_CACHE else None
        data: dict[str, Any] | None = None
        if hint is not None:
            user_key = usercache.key(hint)
            try:
                found = caches[settings.SESSION_CACHE_ALIAS].get_many([self.cache_key, user_key])
            except Exception:  # as cached_db: a backend that refuses the key resets the session
                found = {}
            usercache.prefetched(hint, found.get(user_key))
            data = found.get(self.cache_key)
        if data is None:
            data = super().load()  # the cache alone, then the database
        user_id = str(data.get(SESSION_KEY, ""))
        if session_key and hint is None and user_id.isdigit():
            if len(_HINTS) >= _MAX_HINTS:
                _HINTS.clear()
            _HINTS[session_key] = int(user_id)
        return data
