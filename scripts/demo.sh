#!/usr/bin/env bash
# `make demo`: everything a new machine needs, a demo database with both
# addons and their demo data (built once), then the server on
# http://localhost:8069. Re-running reuses the database and starts at once;
# `make demo-reset` rebuilds it.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ADDONS="customer_privacy,customer_privacy_audit"
DEMO_DB="${DEMO_DB:-privacy_demo}"

prepare
ensure_wkhtmltopdf

if [ "${1:-}" = "--reset" ] && db_exists "$DEMO_DB"; then
    say "Dropping $DEMO_DB"
    dropdb "$DEMO_DB"
    rm -rf "$STATE/data/filestore/$DEMO_DB"
fi
if ! db_exists "$DEMO_DB"; then
    say "Creating demo database $DEMO_DB (both addons, demo data)"
    odoo -d "$DEMO_DB" -i "$ADDONS" --stop-after-init --log-level=warn \
        || { dropdb --if-exists "$DEMO_DB"; die "installing the demo database failed"; }
fi
[ "${DEMO_NO_SERVE:-}" = 1 ] && exit 0

cat <<TXT

Customer Privacy demo: http://localhost:${HTTP_PORT:-8069}  (database $DEMO_DB)
Log in as any of these (password = login):
  admin            Administrator (password: admin)
  privacy_collector  信息收集员 collector
  privacy_sales      Sales user (second: privacy_sales2)
  privacy_head       部门负责人 department head
  privacy_legal      法务/合规 compliance
  privacy_security   安全 security
  privacy_exec       分管领导 executive
  privacy_dataadmin  数据管理员 data administrator
  privacy_auditor    审计监督 auditor
Stop with Ctrl-C.
TXT
exec "$PY" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" -d "$DEMO_DB" --db-filter="^$DEMO_DB\$"
