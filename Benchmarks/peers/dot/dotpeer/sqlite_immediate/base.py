"""Django 3.2's SQLite backend with BEGIN IMMEDIATE for every transaction, as Django 5.1+'s
transaction_mode="IMMEDIATE" does (the SimpleJWT peer's setting). With the default deferred BEGIN, two workers that
both read and then write fail at once with "database is locked"; IMMEDIATE takes the write lock first, so a worker
waits (the busy timeout) instead.
"""
from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def _start_transaction_under_autocommit(self):
        self.cursor().execute("BEGIN IMMEDIATE")
