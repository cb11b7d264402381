#!/usr/bin/env bash
# Shared steps of `make demo` and `make test`: find Odoo, start PostgreSQL,
# build the virtualenv, write the Odoo configuration. Every step is idempotent
# and skips work already done, so re-running is fast.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_SRC="${ODOO_SRC:-/opt/odoo18}"
VENV="${VENV:-$REPO/.venv}"
STATE="$REPO/.odoo"
ODOO_CONF="$STATE/odoo.conf"
PY="$VENV/bin/python"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 2; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi
}

as_postgres() {
    if [ "$(id -un)" = postgres ]; then "$@"
    elif [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
    else sudo -n -u postgres "$@"; fi
}

require_odoo() {
    if [ ! -f "$ODOO_SRC/odoo-bin" ] || [ ! -d "$ODOO_SRC/odoo/addons/base" ]; then
        die "Odoo 18.0 source tree not found at ODOO_SRC=$ODOO_SRC.
Provide an unmodified Odoo 18.0 Community tree there (it must contain odoo-bin),
or point ODOO_SRC at one, e.g.  ODOO_SRC=/path/to/odoo make test"
    fi
    local version
    version=$(sed -n "s/^version_info = (\([0-9]*\), \([0-9]*\).*/\1.\2/p" "$ODOO_SRC/odoo/release.py")
    [ "$version" = "18.0" ] || die "ODOO_SRC=$ODOO_SRC holds Odoo $version, not 18.0"
}

ensure_postgres() {
    command -v pg_isready >/dev/null || die "PostgreSQL client tools not found: install PostgreSQL 13+ (e.g. apt-get install postgresql)"
    if ! pg_isready -q; then
        command -v pg_lsclusters >/dev/null || die "PostgreSQL is not running and pg_lsclusters is missing: start PostgreSQL yourself"
        local ver name
        read -r ver name _ < <(pg_lsclusters --no-header | head -n1)
        [ -n "${ver:-}" ] || die "no PostgreSQL cluster found (create one with pg_createcluster)"
        say "Starting PostgreSQL cluster $ver/$name"
        as_root pg_ctlcluster "$ver" "$name" start || die "could not start PostgreSQL $ver/$name"
        for _ in $(seq 1 30); do pg_isready -q && break; sleep 1; done
        pg_isready -q || die "PostgreSQL did not become ready"
    fi
    local role
    role="$(id -un)"
    [ "$role" != postgres ] || die "run as a normal OS user, not postgres: Odoo refuses the postgres role"
    if ! psql -d postgres -tAc "select 1" >/dev/null 2>&1; then
        say "Creating PostgreSQL role $role for Odoo"
        as_postgres psql -q -d postgres -c "CREATE ROLE \"$role\" LOGIN CREATEDB" \
            || die "could not create PostgreSQL role $role"
    fi
}

ensure_venv() {
    local stamp="$VENV/.stamp" want
    want=$(cat "$REPO/requirements/"*.txt "$REPO/setup.py" | sha256sum | cut -c1-16)
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want:$ODOO_SRC" ]; then
        return
    fi
    local python="${PYTHON:-python3}"
    "$python" - <<'PYEOF' || die "Python 3.10-3.12 required (set PYTHON=python3.x)"
import sys
sys.exit(0 if (3, 10) <= sys.version_info[:2] <= (3, 12) else 1)
PYEOF
    say "Building virtualenv $VENV"
    [ -x "$PY" ] || "$python" -m venv "$VENV"
    "$PY" -m pip install -q --upgrade pip
    "$PY" -m pip install -q -r "$REPO/requirements/odoo.txt" -r "$REPO/requirements/dev.txt"
    # Odoo as a pip distribution (no deps: they are pinned above), so that
    # `import odoo` works and OCA wheels that require it can be installed.
    "$PY" -m pip install -q --no-deps --no-build-isolation -e "$ODOO_SRC"
    echo "$want:$ODOO_SRC" >"$stamp"
}

write_config() {
    mkdir -p "$STATE/data"
    cat >"$ODOO_CONF" <<CONF
[options]
addons_path = $ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$REPO
data_dir = $STATE/data
db_user = $(id -un)
db_host = False
db_port = False
http_interface = 127.0.0.1
http_port = ${HTTP_PORT:-8069}
list_db = False
proxy_mode = False
CONF
}

ensure_chromium() {
    if command -v chromium >/dev/null || command -v google-chrome >/dev/null \
        || command -v chromium-browser >/dev/null; then
        return
    fi
    say "Installing Chromium for the browser tours (Debian package)"
    as_root apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q chromium >/dev/null \
        || die "could not install chromium; install it yourself (apt-get install chromium)"
}

ensure_wkhtmltopdf() {
    command -v wkhtmltopdf >/dev/null && return
    say "Installing wkhtmltopdf for PDF reports (Debian package)"
    as_root apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q wkhtmltopdf >/dev/null \
        || die "could not install wkhtmltopdf; install it yourself"
}

db_exists() {
    psql -d postgres -tAc "select 1 from pg_database where datname='$1'" | grep -q 1
}

odoo() {
    "$PY" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" "$@"
}

prepare() {
    require_odoo
    ensure_postgres
    ensure_venv
    write_config
}
