"""Mints what one benchmark run sends, straight into the database (bulk inserts), one token request body a line:

    manage.py mint --kind code --count N --out FILE      authorization codes (PKCE S256, --scope, by default
                                                          "openid email": an ID token at the exchange), 1 h
    manage.py mint --kind refresh --count N --out FILE   refresh tokens, each with its access token

Codes are what DOT's authorization endpoint would store for a signed-in user; the run measures only their exchange.
"""
import base64
import hashlib
import secrets
from datetime import timedelta
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application, Grant, RefreshToken

BATCH = 2000


class Command(BaseCommand):
    help = "Mint codes or refresh tokens for one benchmark run."

    def add_arguments(self, parser):
        parser.add_argument("--kind", choices=["code", "refresh"], required=True)
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--out", required=True)
        parser.add_argument("--scope", default="openid email")

    def handle(self, *args, **options):
        app = Application.objects.get(client_id="bench")
        user = get_user_model().objects.get(username="bench")
        expires = timezone.now() + timedelta(hours=1)
        verifier = secrets.token_urlsafe(48)
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        redirect = app.redirect_uris.split()[0]
        with open(options["out"], "w") as out:
            left = options["count"]
            while left > 0:
                n = min(BATCH, left)
                left -= n
                if options["kind"] == "code":
                    grants = [
                        Grant(
                            user=user, application=app, code=secrets.token_urlsafe(30), expires=expires,
                            redirect_uri=redirect, scope=options["scope"], code_challenge=challenge,
                            code_challenge_method="S256", nonce=secrets.token_urlsafe(12), claims="",
                        )
                        for _ in range(n)
                    ]
                    Grant.objects.bulk_create(grants)
                    bodies = (
                        urlencode({"grant_type": "authorization_code", "code": g.code, "redirect_uri": redirect,
                                   "code_verifier": verifier})
                        for g in grants
                    )
                else:
                    accesses = [
                        AccessToken(user=user, application=app, token=secrets.token_urlsafe(30), expires=expires,
                                    scope="email")
                        for _ in range(n)
                    ]
                    AccessToken.objects.bulk_create(accesses)
                    # bulk_create sets primary keys on SQLite (Django 3.2 does only on PostgreSQL): read them back.
                    saved = AccessToken.objects.filter(token__in=[a.token for a in accesses])
                    refreshes = [
                        RefreshToken(user=user, application=app, token=secrets.token_urlsafe(30), access_token=a)
                        for a in saved
                    ]
                    RefreshToken.objects.bulk_create(refreshes)
                    bodies = (urlencode({"grant_type": "refresh_token", "refresh_token": r.token}) for r in refreshes)
                out.write("".join(body + "\n" for body in bodies))
