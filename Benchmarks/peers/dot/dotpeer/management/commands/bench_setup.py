"""Creates the bench user, the confidential client `bench` (code grant, RS256 ID tokens, no consent screen) and the
machine client `machine` (client_credentials), both with the given secret."""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone
from oauth2_provider.models import Application


class Command(BaseCommand):
    help = "Create the bench user and the client bench with the given secret."

    def add_arguments(self, parser):
        parser.add_argument("--secret", required=True)
        parser.add_argument("--redirect-uri", default="https://bench.example/cb")

    def handle(self, *args, **options):
        user, _ = get_user_model().objects.get_or_create(username="bench", defaults={"email": "bench@example.com"})
        # Signed in, as the user of a real authorization request is (DOT's auth_time reads last_login).
        user.last_login = timezone.now()
        user.save(update_fields=["last_login"])
        Application.objects.update_or_create(
            client_id="bench",
            defaults=dict(
                user=user,
                name="Bench",
                client_type=Application.CLIENT_CONFIDENTIAL,
                authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
                client_secret=options["secret"],
                redirect_uris=options["redirect_uri"],
                skip_authorization=True,
                algorithm=Application.RS256_ALGORITHM,
            ),
        )
        Application.objects.update_or_create(
            client_id="machine",
            defaults=dict(
                user=user,
                name="Machine",
                client_type=Application.CLIENT_CONFIDENTIAL,
                authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
                client_secret=options["secret"],
                redirect_uris="",
            ),
        )
