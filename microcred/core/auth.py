"""Loading the signed-in person once per request, with what every page needs.

Every signed-in page asks who the person is, which memberships they hold (navigation,
permissions) and how many notices they have not read (the header). Django's backend
loads the user in one query and the other two would cost one query each; `load_user`
reads all three in one, and the backend keeps its result in the shared cache
(`core.usercache`, which every write that changes it invalidates), so the common request
reads no table at all.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.db import connection

from microcred.core import usercache
from microcred.core.models import Membership, Notification, Organization, User

# Fields of one membership in the aggregated column; neither ids, roles nor tree paths
# contain these characters.
FIELD, RECORD = "|", ";"


@cache
def _sql(vendor: str) -> str:
    """The query, written once: building it with the ORM on every request costs more than
    running it (subqueries and annotations take milliseconds to compile)."""
    aggregate = "STRING_AGG" if vendor == "postgresql" else "GROUP_CONCAT"
    user, membership = User._meta.db_table, Membership._meta.db_table
    organization, notification = Organization._meta.db_table, Notification._meta.db_table
    # Table names come from the models and the separators are constants: no input here.
    return (
        f"SELECT u.*,"  # noqa: S608
        f" (SELECT {aggregate}(m.organization_id || '{FIELD}' || o.path || '{FIELD}' || m.role,"
        f" '{RECORD}') FROM {membership} m JOIN {organization} o ON o.id = m.organization_id"
        f" WHERE m.user_id = u.id) AS memberships_raw,"
        f" (SELECT COUNT(*) FROM {notification} n WHERE n.user_id = u.id AND n.read_at IS NULL"
        f" AND n.resolved_at IS NULL)"
        f" AS unread_raw"
        f" FROM {user} u WHERE u.id = %s"
    )


def load_user(user_id: Any) -> User | None:
    """The user with their memberships (`_grants`) and unread notice count (`_unread`)."""
    from microcred.core import permissions

    try:
        pk = int(user_id)
    except (TypeError, ValueError):
        return None
    found = list(User.objects.raw(_sql(connection.vendor), [pk]))
    if not found:
        return None
    user = found[0]
    user._grants = permissions.parse_grants(getattr(user, "memberships_raw", "") or "")
    user._unread = int(getattr(user, "unread_raw", 0) or 0)
    return user


class AuthenticationBackend(AllauthBackend):
    """allauth's email login; `get_user` loads what every page needs in one cache read
    (or, when it is not cached, one query)."""

    def get_user(self, user_id: Any) -> User | None:
        user = usercache.get(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
