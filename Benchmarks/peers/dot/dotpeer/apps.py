from django.apps import AppConfig
from django.db.backends.signals import connection_created


def sqlite_pragmas(sender, connection, **kwargs):
    """Django 3.2 has no SQLite init_command: WAL and synchronous=NORMAL, as the SimpleJWT peer runs."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")


class DotPeerConfig(AppConfig):
    name = "dotpeer"

    def ready(self):
        connection_created.connect(sqlite_pragmas)
