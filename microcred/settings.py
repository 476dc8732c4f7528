"""Microcred settings: one file, driven by environment variables.

Every variable has a development default that is safe: DEBUG is off unless asked
for, data lives under ./var. The README lists each variable; production sets SECRET_KEY,
ALLOWED_HOSTS, DATABASE_URL, EMAIL_URL, SITE_URL and (for more than one web process)
REDIS_URL.

Two switches are for a copy on one's own machine, never for production (`check --deploy`
warns about what they turn on):
- LOCAL_DEMO (`make run` sets it): plain HTTP on localhost. Mail is printed to the console,
  the sign-in page lists the demo accounts, the verifier may fetch from loopback and private
  addresses, and there is no HTTPS redirect, HSTS or secure-only cookie. Pages and errors
  are the product's own (Django's debug pages stay off).
- DEBUG (`DEBUG=1 make run`): Django's debug mode for developers (tracebacks and the URL
  list on error pages); it implies LOCAL_DEMO's defaults.
"""

import secrets
from datetime import timedelta
from pathlib import Path

import environ
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("MICROCRED_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
# A copy on this machine over plain HTTP (see the docstring); the defaults below follow it.
LOCAL_DEMO = env.bool("LOCAL_DEMO", default=DEBUG)
PORT = env.int("PORT", default=8000)
# `make run` (manage.py serve) keeps the SITE_URL it serves under in var/site_url, and every
# later command run without SITE_URL reads it: issuers' DIDs and status list addresses come
# from it, and signing under another one is refused (docs/decisions/0015).
SITE_URL_FILE = VAR_DIR / "site_url"


def _site_url() -> tuple[str, str]:
    """SITE_URL and where it came from (named when a signature is refused over it)."""
    if url := env.str("SITE_URL", default=""):
        return url.rstrip("/"), "the SITE_URL environment variable"
    if SITE_URL_FILE.exists() and (kept := SITE_URL_FILE.read_text().strip()):
        return kept.rstrip("/"), f"{SITE_URL_FILE}, kept by make run"
    return f"http://localhost:{PORT}", f"the default for PORT={PORT}"


SITE_URL, SITE_URL_SOURCE = _site_url()
# The login page lists the demo accounts (only when the demo is loaded).
SHOW_DEMO_LOGINS = env.bool("SHOW_DEMO_LOGINS", default=LOCAL_DEMO)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else a random key kept in var/ (single host only)."""
    if key := env.str("SECRET_KEY", default=""):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "microcred.core",
    "microcred.rosters",
    "microcred.catalog",
    "microcred.earning",
    "microcred.assessment",
    "microcred.badges",
    "microcred.programs",
    "microcred.reports",
    "microcred.demo",
    "microcred.server",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "axes",
    "django_htmx",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "microcred.rosters.sso.sign_in_csp",  # lets sign-in forms go to a district's provider
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "microcred.urls"
WSGI_APPLICATION = "microcred.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "microcred" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "microcred.core.context_processors.navigation",
                "microcred.demo.context_processors.demo_logins",
            ],
        },
    },
]

# Our field and form templates (microcred/templates/django/forms/) render every form.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
CSRF_FAILURE_VIEW = "microcred.views.csrf_failure"  # our own page, not Django's stock one

# --- Database -------------------------------------------------------------------------
# SQLite (WAL) under var/ by default; PostgreSQL at scale: DATABASE_URL=postgres://...
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'microcred.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE transactions keep the web server and the task worker from
        # deadlocking on lock upgrades; WAL lets readers run beside the writer.
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;"
        ),
    }
    # Tests use a file too (not shared-cache memory, whose table locks fail the parallel
    # requests a page makes for its video and images); pytest-xdist adds a suffix per worker.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Parameters bound by the server, and each statement prepared the DATABASE_PREPARE_THRESHOLD-th
    # time a connection runs it: PostgreSQL then plans it once per connection instead of at
    # every run (planning the five-table reads of an award or an attempt cost more than running
    # them; bench/README.md). 0 turns preparing off, which a pooler in transaction mode
    # (PgBouncer before 1.21) needs.
    _prepare = env.int("DATABASE_PREPARE_THRESHOLD", default=1)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": _prepare or None}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, tasks -----------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "microcred.core.rediscache.RedisCache", "LOCATION": REDIS_URL}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    INSTALLED_APPS.append("django_rq")
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    if LOCAL_DEMO:
        # `make run` serves from several processes: the verifier's rate limit (and the public
        # page cache) must be counted in one place, so a file cache under var/ they all share.
        CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(VAR_DIR / "cache"),
            }
        }
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
if env.str("CACHE_URL", default=""):  # e.g. rediscache://..., or dummycache:// to turn caching off
    CACHES = {"default": env.cache_url("CACHE_URL")}
    if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        # The same, keeping its redis-py client between operations (core.rediscache).
        CACHES["default"]["BACKEND"] = "microcred.core.rediscache.RedisCache"
# With a cache every process shares (Redis, a file cache; not each process's memory, where
# signing out in one process would leave the session alive in another): sessions are written
# to the database and read from the cache, and the signed-in person (memberships, unread
# count) is cached too, read in the same round trip (core.sessions, core.usercache), so a
# signed-in page reads no table.
_shared_cache = CACHES["default"]["BACKEND"] not in (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)
SIGNED_IN_CACHE = _shared_cache
SESSION_ENGINE = (
    "microcred.core.sessions" if _shared_cache else "django.contrib.sessions.backends.db"
)
if env.str("TASKS_BACKEND", default="") == "immediate":
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

EMAIL_SUBJECT_PREFIX = "[Microcred] "

# Whole public pages (catalog, credential pages) for visitors without a session are
# cached this many seconds at most; publishing invalidates them at once. 0 turns it off.
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=300)

# --- Accounts: email login through django-allauth, login throttling through django-axes ---
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "microcred.core.auth.AuthenticationBackend",  # allauth's, loading memberships with the user
    "django.contrib.auth.backends.ModelBackend",
]
# Argon2id tuned to about 60 ms a sign-in (core.hashers); older PBKDF2 hashes still verify
# and are re-hashed with Argon2 when their owner signs in.
PASSWORD_HASHERS = [
    "microcred.core.hashers.Argon2Hasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "microcred.core.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "microcred.core.forms.SignupForm"
ACCOUNT_FORMS = {
    "login": "microcred.core.account_forms.LoginForm",
    "change_password": "microcred.core.account_forms.ChangePasswordForm",
    "set_password": "microcred.core.account_forms.SetPasswordForm",
    "reset_password_from_key": "microcred.core.account_forms.ResetPasswordKeyForm",
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = EMAIL_SUBJECT_PREFIX
ACCOUNT_PRESERVE_USERNAME_CASING = False
# Single sign-on: each district's OpenID Connect provider is a SocialApp it sets up in the
# app (rosters.SingleSignOn). The adapter finds the person among the district's own people by
# a verified email or the roster sourcedId, or refuses; nobody signs up through a provider by
# themselves, and an email is trusted only when the provider says it verified it.
SOCIALACCOUNT_ADAPTER = "microcred.rosters.sso.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"  # the provider vouched for the person it names
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True}}

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=15)
# Lock the account for the address the failures come from: a school behind one NAT
# address is not locked out by one student, and allauth separately rate-limits
# failures per account (ACCOUNT_RATE_LIMITS "login_failed") whatever the address.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "microcred.core.adapters.login_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0) or None

# --- Email ---------------------------------------------------------------------------------
# EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.org:587 ; printed to the console locally.
# Code sends through the "default" mailer, which hands each message to the task queue; the
# worker delivers it through the "delivery" mailer, so no web request waits on SMTP.
_email = env.email_url(
    "EMAIL_URL", default="consolemail://" if LOCAL_DEMO else "smtp://localhost:25"
)
_delivery_options = {
    option: _email[key]
    for key, option in (
        ("EMAIL_HOST", "host"),
        ("EMAIL_PORT", "port"),
        ("EMAIL_HOST_USER", "username"),
        ("EMAIL_HOST_PASSWORD", "password"),
        ("EMAIL_USE_TLS", "use_tls"),
        ("EMAIL_USE_SSL", "use_ssl"),
    )
    if _email.get(key) not in (None, "")
}
if _email["EMAIL_BACKEND"].endswith("filebased.EmailBackend"):
    _delivery_options = {"file_path": _email.get("EMAIL_FILE_PATH") or str(VAR_DIR / "mail")}
elif not _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend"):
    _delivery_options = {}
MAILERS = {
    "default": {"BACKEND": "microcred.core.mail.TaskEmailBackend"},
    "delivery": {"BACKEND": _email["EMAIL_BACKEND"], "OPTIONS": _delivery_options},
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Microcred <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Static files and uploads -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "microcred" / "static"]
MEDIA_ROOT = VAR_DIR / "media"
# Uploaded files are never served from a public URL: MEDIA_URL is unset on purpose and
# every download goes through a view that checks permission.
# What a later stage does when an earlier one announces something (core.lifecycle): the
# earlier app never imports the later one.
LIFECYCLE_HANDLERS: dict[str, list[str]] = {
    "attempt.handed_in": [
        "microcred.assessment.services.hand_in_route",
        "microcred.programs.ledger.handed_in",
    ],
    "award.made": [
        "microcred.badges.tasks.award_made",
        "microcred.programs.tasks.award_made",
        "microcred.programs.ledger.award_made",
        "microcred.programs.licensure.award_made",
    ],
    "credential.revoked": [
        "microcred.programs.completion.credential_revoked",
        "microcred.programs.ledger.credential_revoked",
        "microcred.programs.licensure.credential_revoked",
    ],
    "credential.reinstated": [
        "microcred.programs.completion.credential_reinstated",
        "microcred.programs.ledger.credential_reinstated",
        "microcred.programs.licensure.credential_reinstated",
    ],
}
# A later app's part of an earlier app's page (core.parts), named here so the earlier app does
# not import the later one.
PAGE_PARTS: dict[str, str] = {
    "credential.actions": "microcred.earning.views.credential_actions",
    "credential.prerequisite_marks": "microcred.earning.views.prerequisite_marks",
    "organization.credentials": "microcred.catalog.views.public.organization_credentials",
    "attempt.feedback": "microcred.assessment.views.attempt_feedback",
    "attempt.evidence_feedback": "microcred.assessment.views.evidence_feedback",
    "award.verification": "microcred.badges.views.certificate_verification",
    "person.statuses": "microcred.programs.views.person_statuses",
}

STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# At scale, uploaded files go to an S3-compatible object store (AWS S3, MinIO, Ceph, …):
# S3_BUCKET names the bucket (kept private: nothing in it is ever linked to), S3_ENDPOINT_URL
# points at a store other than AWS, S3_PREFIX puts every key under a folder. Credentials come
# from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the host's role, as boto3 reads them.
if S3_BUCKET := env.str("S3_BUCKET", default=""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("S3_REGION", default="") or None,
            "location": env.str("S3_PREFIX", default=""),
            "default_acl": None,  # the bucket's own policy, private
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
RESOURCE_MAX_BYTES = env.int("RESOURCE_MAX_BYTES", default=25 * 1024 * 1024)
# Evidence: classroom video up to 2 GB, other files up to 100 MB. Large files arrive in
# pieces over tus 1.0 (resumable) and are staged where every web process can append to
# them: UPLOAD_STAGING_DIR (a directory shared by the web processes: one host's disk or a
# shared volume) or, with S3_BUCKET, a multipart upload in the bucket whose parts are
# UPLOAD_PART_BYTES long (S3 wants at least 5 MiB for every part but the last).
EVIDENCE_VIDEO_MAX_BYTES = env.int("EVIDENCE_VIDEO_MAX_BYTES", default=2 * 1024**3)
EVIDENCE_FILE_MAX_BYTES = env.int("EVIDENCE_FILE_MAX_BYTES", default=100 * 1024**2)
# The page's script sends a first piece of UPLOAD_CHUNK_BYTES and doubles the piece while each
# goes up in under a second, up to UPLOAD_CHUNK_MAX_BYTES (a proxy in front must take bodies
# that large): few requests for a big file on a fast connection, short ones on a slow one.
UPLOAD_CHUNK_BYTES = env.int("UPLOAD_CHUNK_BYTES", default=1024**2)
UPLOAD_CHUNK_MAX_BYTES = max(
    UPLOAD_CHUNK_BYTES, env.int("UPLOAD_CHUNK_MAX_BYTES", default=256 * 1024**2)
)
UPLOAD_STAGING_DIR = Path(env.str("UPLOAD_STAGING_DIR", default=str(VAR_DIR / "uploads")))
UPLOAD_PART_BYTES = max(5 * 1024**2, env.int("UPLOAD_PART_BYTES", default=8 * 1024**2))

# --- Open Badges ------------------------------------------------------------------------
# Issuers' private signing keys are stored encrypted with the first of these secrets (any of
# them decrypts, so a new secret can be put first and the old one kept until keys are
# re-encrypted). Without it, a key derived from SECRET_KEY is used (a deploy check warns).
SIGNING_KEY_SECRETS = env.list("SIGNING_KEY_SECRETS", default=[])
# The verifier fetches other issuers' DID documents and status lists: never from private or
# loopback addresses in production; with a time and size limit.
VERIFIER_ALLOW_PRIVATE_ADDRESSES = env.bool("VERIFIER_ALLOW_PRIVATE_ADDRESSES", default=LOCAL_DEMO)
# VERIFIER_FETCH_TIMEOUT bounds each fetch as a whole (a server that answers one byte at a
# time is cut off), VERIFIER_CHECK_TIMEOUT all fetches of one verification together; each
# process fetches for at most VERIFIER_MAX_CONCURRENT_FETCHES requests at once.
VERIFIER_FETCH_TIMEOUT = env.float("VERIFIER_FETCH_TIMEOUT", default=5.0)
VERIFIER_FETCH_MAX_BYTES = env.int("VERIFIER_FETCH_MAX_BYTES", default=2 * 1024 * 1024)
VERIFIER_CHECK_TIMEOUT = env.float("VERIFIER_CHECK_TIMEOUT", default=10.0)
VERIFIER_MAX_CONCURRENT_FETCHES = env.int("VERIFIER_MAX_CONCURRENT_FETCHES", default=2)
# Verifications per client address (page and API together), counted in the default cache:
# "<count>/<period>" with s, m, h or d; empty turns the limit off.
VERIFIER_RATE_LIMIT = env.str("VERIFIER_RATE_LIMIT", default="30/m")
# Our own issuers' DID documents and status lists are read from the database; off, they are
# fetched over HTTP as any outside verifier fetches them (to check what a CDN serves).
VERIFIER_READ_OWN_DOCUMENTS = env.bool("VERIFIER_READ_OWN_DOCUMENTS", default=True)

# --- Security ---------------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "media-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
if not (DEBUG or LOCAL_DEMO):
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    if env.bool("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # A health check over plain HTTP from the load balancer must not be redirected.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Internationalization -----------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="America/Chicago")
# English only for now: without translation machinery every rendered value skips a
# thread-local language lookup (about a sixth of the time of a table-heavy page).
USE_I18N = env.bool("USE_I18N", default=False)
USE_TZ = True

# --- Logging ----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "django.tasks": {"level": "WARNING"}},
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
