#!/usr/bin/env bash
# `make test`: everything a new machine needs, then lint and the whole test
# suite (pure unit tests, Odoo tests on a freshly built database, browser
# tours in headless Chromium) in one pytest run, ending with its summary line.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ADDONS="customer_privacy,customer_privacy_audit"
TEST_DB="${TEST_DB:-privacy_test}"

prepare
ensure_chromium
ensure_wkhtmltopdf

say "Lint: ruff"
"$VENV/bin/ruff" check "$REPO"
"$VENV/bin/ruff" format --check "$REPO"
say "Lint: pylint-odoo (mandatory checks)"
"$VENV/bin/pylint" --rcfile="$REPO/.pylintrc" "$REPO/customer_privacy" "$REPO/customer_privacy_audit"

say "Building test database $TEST_DB (both addons, demo data)"
if db_exists "$TEST_DB"; then dropdb "$TEST_DB"; fi
rm -rf "$STATE/data/filestore/$TEST_DB"
odoo -d "$TEST_DB" -i "$ADDONS" --stop-after-init --log-level=warn \
    --logfile="$STATE/install-$TEST_DB.log" \
    || { tail -n 60 "$STATE/install-$TEST_DB.log"; die "installing $ADDONS failed"; }
if grep -E "( ERROR | CRITICAL )" "$STATE/install-$TEST_DB.log"; then
    die "installing $ADDONS logged errors (see $STATE/install-$TEST_DB.log)"
fi

say "Tests"
cd "$REPO"
exec "$PY" -m pytest "$@" \
    --odoo-database="$TEST_DB" --odoo-config="$ODOO_CONF" --odoo-http \
    --odoo-log-level=warn \
    tests customer_privacy/tests customer_privacy_audit/tests
