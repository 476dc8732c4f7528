"""The signed-in person in the shared cache: no query per request in the common case.

Every signed-in page needs the user row, their memberships (navigation, permissions) and
how many notices they have not read (the header); `core.auth.load_user` reads the three in
one query. This module keeps that result in the sessions' cache under the user's id, and
the session store (`core.sessions`) reads it in the same round trip as the session: a
signed-in request costs one cache read (MGET) and no query. Only with a cache that every
process shares (SIGNED_IN_CACHE in settings): with each process's own memory, a process
would never hear of another's invalidation.

Stale memberships would be an authorization hole, so every write that changes what is
cached calls `forget(user_id)`: the services that grant and revoke memberships and read
notices, `notify` when it writes notices, and, for writes that go around the services (the
admin site, allauth changing a password or an address, a shell), the signals below on
User, Membership and Notification. A forgotten user is not merely deleted from the cache:
the key holds a marker for HOLD_SECONDS, written at once and again after the transaction
commits, and a request that reads the database stores what it read only with `cache.add`,
which never replaces the marker. A request that read the database before the write
committed therefore cannot put the old memberships back after the write's invalidation;
while the marker lives, each request reads the database, as it did without this cache.
Entries expire after SECONDS whatever happens, which bounds a write no hook sees (a bulk
`update()` elsewhere).

Django's check of the session against the password hash keeps working: the cached user
carries its password hash, and a password change forgets the user.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from microcred.core.models import Membership, Notification, User

SECONDS = 300
HOLD_SECONDS = 10
_HOLD = "held"


def _cache() -> BaseCache:
    """The sessions' cache (the default one unless SESSION_CACHE_ALIAS names another): the
    session store reads the person from it with the session."""
    return caches[settings.SESSION_CACHE_ALIAS]


def key(user_id: int) -> str:
    return f"core.user:{user_id}"


# What the session store read together with the session (`core.sessions`), for this request:
# (user id, the cached value or None). Read once, then cleared.
_prefetched: ContextVar[tuple[int, Any] | None] = ContextVar("usercache_prefetched", default=None)


def prefetched(user_id: int | None, value: Any = None) -> None:
    """The session store read `key(user_id)` in the same round trip as the session (None:
    it read nothing, and a stale value of an earlier request must not be used)."""
    _prefetched.set(None if user_id is None else (user_id, value))


def get(user_id: Any) -> User | None:
    """The user with `_grants` and `_unread`, from the cache or else the database."""
    from microcred.core.auth import load_user  # core.auth imports this module

    try:
        pk = int(user_id)
    except (TypeError, ValueError):
        return None
    if not settings.SIGNED_IN_CACHE:
        return load_user(pk)
    read = _prefetched.get()
    _prefetched.set(None)
    cached = read[1] if read is not None and read[0] == pk else _cache().get(key(pk))
    if isinstance(cached, User):
        return cached
    user = load_user(pk)
    if user is not None:
        # `add`, not `set`: a write's marker (or a newer entry) stays.
        _cache().add(key(pk), user, SECONDS)
    return user


def forget(user_ids: Iterable[Any]) -> None:
    """What is cached of these users changed (or is about to, in this transaction): the
    next request of each reads the database."""
    markers = {key(pk): _HOLD for pk in {int(pk) for pk in user_ids if pk is not None}}
    if not markers:
        return
    _cache().set_many(markers, HOLD_SECONDS)
    # Again after commit: a request that read the old rows during the transaction cannot
    # have stored them (the first marker), and the marker lives on past the commit.
    transaction.on_commit(lambda: _cache().set_many(markers, HOLD_SECONDS))


def _user_saved(sender: type[User], instance: User, **kwargs: Any) -> None:
    forget([instance.pk])


def _membership_changed(sender: type[Membership], instance: Membership, **kwargs: Any) -> None:
    forget([instance.user_id])


def _notification_changed(
    sender: type[Notification], instance: Notification, **kwargs: Any
) -> None:
    forget([instance.user_id])


# Writes that go around the services; the services call `forget` themselves.
post_save.connect(_user_saved, sender=User, dispatch_uid="usercache.user_saved")
post_delete.connect(_user_saved, sender=User, dispatch_uid="usercache.user_deleted")
post_save.connect(_membership_changed, sender=Membership, dispatch_uid="usercache.membership_saved")
post_delete.connect(
    _membership_changed, sender=Membership, dispatch_uid="usercache.membership_deleted"
)
# No post_delete for notices: it would make every cascade that deletes them load each row,
# and a deleted user is forgotten by their own signal.
post_save.connect(
    _notification_changed, sender=Notification, dispatch_uid="usercache.notification_saved"
)
