#!/usr/bin/env bash
# Sets the Django OAuth Toolkit peer up in this folder, from Debian's packages: keys (.keys/), the SQLite database
# (db.sqlite3) with DOT's migrations, the bench user and the client `bench` with the secret in $1.
set -euo pipefail
cd "$(dirname "$0")"
SECRET=${1:?usage: setup.sh CLIENT_SECRET}
need=()
/usr/bin/python3 -c "import oauth2_provider" 2>/dev/null || need+=(python3-django-oauth-toolkit)
[ -x /usr/bin/gunicorn ] || need+=(gunicorn)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
mkdir -p .keys .run && chmod 700 .keys
[ -f .keys/oidc_rsa.pem ] || openssl genrsa -out .keys/oidc_rsa.pem 2048 2>/dev/null
[ -f .keys/django_secret ] || /usr/bin/python3 -c 'import secrets; print(secrets.token_urlsafe(50))' > .keys/django_secret
/usr/bin/python3 manage.py migrate --noinput -v 0
/usr/bin/python3 manage.py bench_setup --secret="$SECRET"   # = : a secret may begin with "-"
echo "DOT peer ready: Django OAuth Toolkit $(/usr/bin/python3 -c 'import oauth2_provider; print(oauth2_provider.__version__)'), Django $(/usr/bin/python3 -c 'import django; print(django.get_version())'), gunicorn $(/usr/bin/gunicorn --version 2>&1 | tr -dc '0-9.')"
