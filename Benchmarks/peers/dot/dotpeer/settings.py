"""Django OAuth Toolkit as a peer for Rotor's OAuth benchmarks (Benchmarks/peers/dot/README.md).

Debian 12's own packages (python3-django-oauth-toolkit 1.7, python3-django 3.2, gunicorn 20.1), deployed as the
SimpleJWT peer is: DEBUG off, SQLite in WAL mode with synchronous=NORMAL, IMMEDIATE transactions and a 20 s busy timeout, persistent
connections, gunicorn sync workers. OpenID Connect on, ID tokens RS256, PKCE required, refresh tokens rotated.
"""
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
KEYS = BASE_DIR / ".keys"

SECRET_KEY = (KEYS / "django_secret").read_text().strip()
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "oauth2_provider",
    "dotpeer",
]
MIDDLEWARE = []
ROOT_URLCONF = "dotpeer.urls"
WSGI_APPLICATION = "dotpeer.wsgi.application"
TEMPLATES = []
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

DATABASES = {
    "default": {
        "ENGINE": "dotpeer.sqlite_immediate",
        "NAME": BASE_DIR / "db.sqlite3",
        "OPTIONS": {"timeout": 20},
        "CONN_MAX_AGE": 600,
    }
}

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": (KEYS / "oidc_rsa.pem").read_text(),
    "OIDC_ISS_ENDPOINT": "http://dot-bench.local",
    "PKCE_REQUIRED": True,
    "SCOPES": {"openid": "OpenID Connect", "email": "The email address", "reports.read": "Read reports"},
    "ACCESS_TOKEN_EXPIRE_SECONDS": 900,
    "ROTATE_REFRESH_TOKEN": True,
}

# Server errors go to gunicorn's error log (.run/gunicorn.log), so that a failed run can say why.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": True,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["stderr"], "level": "ERROR"}},
}
