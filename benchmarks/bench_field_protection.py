#!/usr/bin/env python3
"""Cost of customer_privacy's field protection against vanilla Odoo 18.

Builds (or, with --reuse, reuses) two databases with identical customers:

- bench_vanilla: base, contacts, mail, phone_validation, portal, base_setup
- bench_suite:   the same plus customer_privacy

then measures, as a salesperson, the read paths that field protection hooks
(list, form, export, a model without policy, blind-index search) and prints
suite/vanilla ratios of the median times against the targets of the issue.

Each database is measured in its own process, as a server serves it: one
process with both registries runs the same Odoo code on two sets of model
classes, and Python's specialising interpreter then favours whichever side
warmed up first (measured: a 0.5 ms list came out 1.00x or 1.04x against
itself depending on the number of warm-up runs). The processes take turns
(vanilla, suite, suite, vanilla, ...), so machine noise hits both alike. Each
repetition runs on a fresh cursor and environment, like an RPC request on a
warm server. It is a report, not a test: it always exits 0.

    .venv/bin/python benchmarks/bench_field_protection.py [--reuse]
"""

import argparse
import base64
import configparser
import gc
import hashlib
import io
import itertools
import json
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import time
import traceback
from pathlib import Path

import benchdata

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / ".work"
CONF = WORK / "odoo.conf"
ODOO_SRC = Path(os.environ.get("ODOO_SRC", "/opt/odoo18"))
SUITE_ADDON = REPO / "customer_privacy"

VANILLA, SUITE = "bench_vanilla", "bench_suite"
# case (e) runs on copies grown to --index-rows customers, so that the
# archived copies do not weigh on the scans of cases (a)-(d)
INDEX_DBS = {VANILLA: "bench_vanilla_index", SUITE: "bench_suite_index"}
BASE_MODULES = "base,contacts,mail,phone_validation,portal,base_setup"
MODULES = {VANILLA: BASE_MODULES, SUITE: BASE_MODULES + ",customer_privacy"}
DATA_VERSION = 3
MARKER = "bench.dataset"
SALES_LOGIN, ADMIN_LOGIN = "bench_sales", "bench_admin"
BATCH = 1000
CREATE_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "no_reset_password": True,
}
EXPORT_FIELDS = [
    "name",
    "email",
    "phone",
    "mobile",
    "street",
    "city",
    "country_id",
    "vat",
]
USER_FIELDS = ["name", "login", "email", "lang", "tz", "company_id", "share", "active"]
ID_FIELD = "privacy_id_number"
ORM_ID_NUMBERS = 500  # customers given an identity number through the ORM


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# ----------------------------------------------------------------- building


def write_config():
    """Our own configuration: the project's addons path and database
    connection, a data directory under benchmarks/.work."""
    WORK.mkdir(exist_ok=True)
    options = {
        "addons_path": f"{ODOO_SRC}/addons,{ODOO_SRC}/odoo/addons,{REPO}",
        "db_user": "False",
        "db_host": "False",
        "db_port": "False",
    }
    template = REPO / ".odoo" / "odoo.conf"
    if template.exists():
        parser = configparser.ConfigParser(interpolation=None)
        parser.read(template)
        for key in ("addons_path", "db_user", "db_host", "db_port", "db_password"):
            if parser.has_option("options", key):
                options[key] = parser.get("options", key)
    # customer_privacy refuses to encrypt without a master key: a key file of
    # our own, for these throw-away databases only
    key_file = WORK / "privacy-master.key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(base64.b64encode(os.urandom(32)).decode() + "\n")
    options.update(
        privacy_master_key_file=str(key_file),
        data_dir=str(WORK / "data"),
        list_db="False",
        max_cron_threads="0",
        log_level="warn",
    )
    text = "[options]\n" + "".join(f"{k} = {v}\n" for k, v in options.items())
    CONF.write_text(text)


def suite_fingerprint():
    """Hash of customer_privacy's source: a reused suite database is updated
    when the addon changed since it was built."""
    digest = hashlib.sha256()
    for path in sorted(SUITE_ADDON.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".xml", ".csv"}:
            digest.update(str(path.relative_to(SUITE_ADDON)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def connect(db):
    """A psycopg2 connection with the configuration's credentials."""
    import psycopg2

    parser = configparser.ConfigParser(interpolation=None)
    parser.read(CONF)
    kwargs = {"dbname": db}
    for key in ("user", "host", "port", "password"):
        value = parser.get("options", f"db_{key}", fallback="False")
        if value not in ("False", ""):
            kwargs[key] = value
    return psycopg2.connect(**kwargs)


def psql(db, sql):
    """First column of the first row of ``sql`` in ``db``; None when the
    database or the table does not exist."""
    import psycopg2

    try:
        cnx = connect(db)
    except psycopg2.OperationalError:
        return None
    try:
        with cnx, cnx.cursor() as cr:
            cr.execute(sql)
            row = cr.fetchone() if cr.description else None
            return row[0] if row else None
    except psycopg2.Error:
        return None
    finally:
        cnx.close()


def admin_sql(sql):
    """Statements that cannot run in a transaction (DROP DATABASE, VACUUM)."""
    cnx = connect("postgres")
    cnx.autocommit = True
    try:
        with cnx.cursor() as cr:
            cr.execute(sql)
    finally:
        cnx.close()


def read_marker(db):
    value = psql(db, f"SELECT value FROM ir_config_parameter WHERE key = '{MARKER}'")
    return json.loads(value) if value else None


def odoo_cmd(db, *args):
    return [
        sys.executable,
        str(ODOO_SRC / "odoo-bin"),
        "-c",
        str(CONF),
        "-d",
        db,
        *args,
        "--stop-after-init",
        "--without-demo=all",
        f"--logfile={WORK / f'odoo-{db}.log'}",
    ]


def run_parallel(commands):
    """Run {name: argv} at once (the machine has 2 cores); fail loudly."""
    procs = {
        # argv is built by this script (odoo-bin or itself), no shell
        name: subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)  # noqa: S603
        for name, argv in commands.items()
    }
    outputs = {}
    for name, proc in procs.items():
        out, _err = proc.communicate()
        if proc.returncode:
            sys.exit(f"{name} failed (exit {proc.returncode}), see {WORK}/odoo-*.log")
        outputs[name] = out
    return outputs


def worker_cmd(db, task, *args):
    return [sys.executable, str(Path(__file__).resolve()), "--worker", task, db, *args]


def build(args):
    """Install both databases and generate their data (both in parallel)."""
    fingerprint = suite_fingerprint()
    markers = {db: read_marker(db) for db in (VANILLA, SUITE)}
    wanted = {"version": DATA_VERSION, "customers": args.customers}
    fresh = [
        db
        for db, marker in markers.items()
        if not args.reuse
        or not marker
        or any(marker.get(k) != v for k, v in wanted.items())
    ]
    for db in fresh:
        admin_sql(f'DROP DATABASE IF EXISTS "{db}"')
        shutil.rmtree(WORK / "data" / "filestore" / db, ignore_errors=True)
    if fresh:
        log(f"installing {', '.join(fresh)} (parallel)")
        start = time.time()
        run_parallel({db: odoo_cmd(db, "-i", MODULES[db]) for db in fresh})
        log(f"installed in {time.time() - start:.0f} s")
        start = time.time()
        outputs = run_parallel(
            {
                db: worker_cmd(db, "generate", f"--customers={args.customers}")
                for db in fresh
            }
        )
        for db, out in outputs.items():
            log(f"{db}: {out.strip()}")
        log(f"data generated in {time.time() - start:.0f} s")
    for db in fresh:
        set_fingerprint(db, fingerprint)


def set_fingerprint(db, fingerprint):
    psql(
        db,
        "UPDATE ir_config_parameter SET value = jsonb_set(value::jsonb, "
        f"'{{suite}}', '\"{fingerprint}\"')::text WHERE key = '{MARKER}'",
    )


def ensure_suite_current():
    """Other work changes customer_privacy while we run: measure the code
    the suite databases were updated with."""
    fingerprint = suite_fingerprint()
    base = read_marker(SUITE) or {}
    stale = [
        db
        for db in (SUITE, INDEX_DBS[SUITE])
        if (marker := read_marker(db))
        and marker.get("suite") != fingerprint
        # an index database of older data is rebuilt from bench_suite anyway
        and marker.get("version") == base.get("version")
        and marker.get("customers") == base.get("customers")
    ]
    if stale:
        log(f"customer_privacy changed since {', '.join(stale)} was built: updating")
        run_parallel({db: odoo_cmd(db, "-u", "customer_privacy") for db in stale})
        for db in stale:
            set_fingerprint(db, fingerprint)
            # the update rewrites every customer (their masked forms): the
            # same layout as vanilla again, without the dead rows
            vacuum(db)


def ensure_index_rows(args):
    """Case (e) needs --index-rows customers with an identity number: copy
    each database (template) and add archived copies of its customers there
    (SQL, see worker_index). The copies stay out of bench_vanilla and
    bench_suite: their list counts and exports scan the table."""
    todo = []
    for db, index_db in INDEX_DBS.items():
        base, marker = read_marker(db) or {}, read_marker(index_db) or {}
        wanted = {**base, "index_rows": args.index_rows}
        if any(marker.get(k) != v for k, v in wanted.items()):
            todo.append(index_db)
            admin_sql(f'DROP DATABASE IF EXISTS "{index_db}"')
            admin_sql(f'CREATE DATABASE "{index_db}" TEMPLATE "{db}"')
            filestore = WORK / "data" / "filestore"
            shutil.rmtree(filestore / index_db, ignore_errors=True)
            if (filestore / db).exists():
                shutil.copytree(filestore / db, filestore / index_db)
    if not todo:
        return
    log(f"adding customers up to {args.index_rows} in {', '.join(todo)} (parallel)")
    start = time.time()
    outputs = run_parallel(
        {db: worker_cmd(db, "index", f"--index-rows={args.index_rows}") for db in todo}
    )
    for db, out in outputs.items():
        log(f"{db}: {out.strip()}")
    log(f"done in {time.time() - start:.0f} s")


def vacuum(db):
    """Same physical layout and planner inputs in both databases: customers
    (and the suite's masked forms) stored in id order without dead rows (the
    suite's create updates rows after inserting them, vanilla's less), fresh
    statistics."""
    cnx = connect(db)
    cnx.autocommit = True
    try:
        with cnx.cursor() as cr:
            cr.execute("CLUSTER res_partner USING res_partner_pkey")
            # the suite's masked forms: written at creation, then computed
            cr.execute("SELECT to_regclass('privacy_masked_form') IS NOT NULL")
            if cr.fetchone()[0]:
                cr.execute(
                    "CLUSTER privacy_masked_form USING privacy_masked_form_partner_unique"
                )
            cr.execute("VACUUM ANALYZE")
    finally:
        cnx.close()


# ------------------------------------------------------- workers (one per db)


def odoo_env(db):
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", str(CONF)])
    return odoo, Registry(db)


def set_marker(env, **values):
    params = env["ir.config_parameter"].sudo()
    marker = json.loads(params.get_param(MARKER) or "{}")
    marker.update(values)
    params.set_param(MARKER, json.dumps(marker))


def worker_generate(db, count):
    """Users and ``count`` customers through the ORM, batches of 1,000 with
    tracking off: the suite computes codes and sensitivities itself."""
    odoo, registry = odoo_env(db)
    start = time.time()
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, CREATE_CONTEXT)
        suite = "customer_privacy" in env.registry._init_modules
        if suite:
            sales_groups = ["customer_privacy.group_privacy_user"]
            admin_groups = ["customer_privacy.group_privacy_data_admin"]
        else:
            sales_groups = admin_groups = [
                "base.group_user",
                "base.group_partner_manager",
            ]
        users = {}
        for login, groups in ((SALES_LOGIN, sales_groups), (ADMIN_LOGIN, admin_groups)):
            group_ids = [env.ref(g).id for g in [*groups, "base.group_allow_export"]]
            users[login] = env["res.users"].create(
                {
                    "name": login.replace("_", " ").title(),
                    "login": login,
                    "email": f"{login}@example.com",
                    "groups_id": [odoo.Command.set(group_ids)],
                }
            )
        countries = {
            code: env.ref(f"base.{code}").id
            for code in ("cn", "fr", "de", "us", "be", "it")
        }
        values = benchdata.customers(count, countries)
        sales_id = users[SALES_LOGIN].id
        for index, vals in enumerate(values):
            if index % 3 == 0:
                vals["user_id"] = sales_id
        Partner = env["res.partner"]
        companies = [i for i, v in enumerate(values) if v["is_company"]]
        company_ids = {}
        for chunk in range(0, len(companies), BATCH):
            indexes = companies[chunk : chunk + BATCH]
            created = Partner.create([values[i] for i in indexes])
            company_ids.update(zip(indexes, created.ids, strict=True))
        people = [i for i, v in enumerate(values) if not v["is_company"]]
        for index in people:
            if index % 5 == 1:  # one person in five works for a company
                values[index]["parent_id"] = company_ids[index // 10 * 10]
        for chunk in range(0, len(people), BATCH):
            Partner.create([values[i] for i in people[chunk : chunk + BATCH]])
            env.invalidate_all()
        env.cr.execute("SELECT 1 FROM pg_indexes WHERE indexdef LIKE '%%(ref)%%'")
        if not env.cr.fetchone():
            env.cr.execute("CREATE INDEX bench_res_partner_ref ON res_partner (ref)")
        set_marker(env, version=DATA_VERSION, customers=count)
    vacuum(db)
    print(f"{count} customers in {time.time() - start:.0f} s")


def worker_index(db, rows):
    """Grow the customers with an identity number to ``rows`` for case (e).

    In the suite, ORM_ID_NUMBERS active customers first get their identity
    number through the ORM (ciphertext, masked form, blind index). Then the
    generated customers are copied in SQL, in both databases alike: the
    columns as the ORM filled them, a new id, a new code from the suite's
    sequence, a new identity number in ``ref`` and, in the suite, its blind
    index (computed with the suite's own key and crypto code, checked
    against what the ORM stored; no ciphertext: the copies only make the
    index the size of a 200,000-customer base). The copies are archived: searches
    see the same active customers on both sides. Nothing is updated in
    place: both tables get the same physical layout (see vacuum)."""
    odoo, registry = odoo_env(db)
    start = time.time()
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, CREATE_CONTEXT)
        Partner = env["res.partner"]
        cr.execute("SELECT id FROM res_partner WHERE ref IS NOT NULL ORDER BY id")
        templates = [row[0] for row in cr.fetchall()]
        copies = max(0, rows - len(templates))
        report = [f"{copies} archived copies"]
        index = None
        if ID_FIELD in Partner._fields:
            message, index = write_id_numbers(env, Partner, templates)
            report.append(message)
        id_columns = {
            name
            for name, field in Partner._fields.items()
            if name.startswith(ID_FIELD) and field.store and field.column_type
        }
        cr.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'res_partner' AND column_name NOT IN "
            "('id', 'ref', 'active', 'privacy_code', 'commercial_partner_id')"
        )
        columns = [r[0] for r in cr.fetchall() if r[0] not in id_columns]
        cr.execute(
            "SELECT nextval('res_partner_id_seq') FROM generate_series(1, %s)",
            [copies],
        )
        new_ids = [r[0] for r in cr.fetchall()]
        cr.execute(
            "CREATE TEMP TABLE bench_copy "
            "(id int, template_id int, ref varchar, bidx varchar, code varchar)"
        )
        buffer = io.StringIO()
        for k, new_id in enumerate(new_ids):
            ref = benchdata.resident_id(len(templates) + k)
            digest = index(ref) if index else r"\N"
            buffer.write(
                f"{new_id}\t{templates[k % len(templates)]}\t{ref}\t{digest}\n"
            )
        buffer.seek(0)
        cr.copy_from(buffer, "bench_copy", columns=("id", "template_id", "ref", "bidx"))
        extra, values = "", ""
        if "privacy_code" in Partner._fields:
            # <industry>-<year>-<serial> as the suite's create assigns it,
            # serials drawn from the same PostgreSQL sequence
            sequence = env["ir.sequence"].search(
                [("code", "=", "privacy.customer.code")], limit=1
            )
            prefix, suffix = sequence._get_prefix_suffix()
            year = odoo.fields.Date.context_today(Partner).year
            cr.execute(
                "UPDATE bench_copy SET code = nextval(%s)::text",
                [f"ir_sequence_{sequence.id:03d}"],
            )
            cr.execute(
                "UPDATE bench_copy SET code = %s || %s || "
                "lpad(code, greatest(%s, length(code)), '0') || %s",
                [f"GEN-{year}-", prefix or "", sequence.padding, suffix or ""],
            )
            extra, values = ", privacy_code", ", b.code"
        cr.execute(
            "INSERT INTO res_partner (id, commercial_partner_id, ref, active, "
            + ", ".join(f'"{c}"' for c in columns)
            + f"{extra}) SELECT b.id, CASE WHEN t.commercial_partner_id = t.id "
            "THEN b.id ELSE t.commercial_partner_id END, b.ref, false, "
            + ", ".join(f't."{c}"' for c in columns)
            + f"{values} FROM bench_copy b JOIN res_partner t "
            "ON t.id = b.template_id ORDER BY b.id"
        )
        if index:
            cr.execute(
                "INSERT INTO privacy_blind_index (partner_id, field, digest) "
                "SELECT id, %s, bidx FROM bench_copy ORDER BY id",
                [ID_FIELD],
            )
        set_marker(env, index_rows=rows)
    vacuum(db)
    print(f"{'; '.join(report)} in {time.time() - start:.0f} s")


def blind_indexer(Partner):
    """value -> the blind index customer_privacy stores for
    ``privacy_id_number = value``, from its own normalisation, key service
    and crypto module."""
    from odoo.addons.customer_privacy.tools import crypto

    service = Partner.env["privacy.key.service"]
    index_key = service._index_key_or_raise(service._keyring_or_raise(), create=False)

    def index(value):
        normalized = Partner._privacy_normalize(ID_FIELD, value)
        return crypto.blind_index(index_key, ID_FIELD, normalized)

    return index


def write_id_numbers(env, Partner, templates):
    """Identity numbers written through the ORM on ORM_ID_NUMBERS active
    customers; returns (report, blind indexer checked against what the ORM
    stored, or None)."""
    sample = Partner.browse(templates[1 : 1 + ORM_ID_NUMBERS * 7 : 7])
    try:
        with env.cr.savepoint():
            for partner in sample:
                partner.write({ID_FIELD: partner.ref})
            env.flush_all()
    except Exception as exc:  # a report, not a test: say why and go on
        env.invalidate_all()
        return f"ORM write of {ID_FIELD} failed: {exc}", None
    if "privacy.blind.index" not in env:
        return f"{len(sample)} identity numbers via ORM; no blind index table", None
    index = blind_indexer(Partner)
    env.cr.execute(
        "SELECT p.ref, i.digest FROM res_partner p LEFT JOIN privacy_blind_index i "
        "ON i.partner_id = p.id AND i.field = %s WHERE p.id = ANY(%s)",
        [ID_FIELD, sample.ids],
    )
    if any(index(ref) != stored for ref, stored in env.cr.fetchall()):
        return f"{len(sample)} via ORM; cannot reproduce their blind index", None
    return f"{len(sample)} identity numbers via ORM, blind indexes in SQL", index


# -------------------------------------------------------------- measurement


class Side:
    """One database, its registry and the inputs of every case."""

    def __init__(self, odoo, db):
        from odoo.modules.registry import Registry

        self.odoo = odoo
        self.db = db
        self.registry = Registry(db)
        with self.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            users = env["res.users"].search(
                [("login", "in", [SALES_LOGIN, ADMIN_LOGIN])]
            )
            self.uids = {u.login: u.id for u in users}
            self.company_id = env.ref("base.main_company").id
            Partner = env["res.partner"].with_context(active_test=True)
            customers = Partner.search([("ref", "!=", False)], order="id")
            self.export_ids = customers[:10_000].ids
            # the same 20 customers (by identity number) in both databases
            self.form_ids = customers[1:200:10].ids
            self.user_ids = env["res.users"].search([("share", "=", False)]).ids
            self.has_id_field = ID_FIELD in Partner._fields
            self.id_refs = []
            if self.has_id_field and "privacy.blind.index" in env:
                cr.execute(
                    "SELECT p.ref FROM res_partner p JOIN privacy_blind_index i "
                    "ON i.partner_id = p.id AND i.field = %s WHERE p.active "
                    "ORDER BY p.id LIMIT 50",
                    [ID_FIELD],
                )
                self.id_refs = [r[0] for r in cr.fetchall()]
        self.specs = {}
        for model, view_type in (
            ("res.partner", "list"),
            ("res.partner", "form"),
            ("res.country", "list"),
            ("res.partner.industry", "list"),
        ):
            self.specs[model, view_type] = self.call(
                SALES_LOGIN, lambda env, m=model, v=view_type: view_spec(env, m, v)
            )

    def context(self, uid):
        return {
            "lang": "en_US",
            "tz": "Asia/Shanghai",
            "uid": uid,
            "allowed_company_ids": [self.company_id],
            "bin_size": True,
        }

    def call(self, login, func):
        """``func(env)`` in a fresh transaction, as one RPC request."""
        uid = self.uids[login]
        cr = self.registry.cursor()
        try:
            env = self.odoo.api.Environment(cr, uid, self.context(uid))
            return func(env)
        finally:
            cr.rollback()
            cr.close()

    def timed(self, login, func):
        """Milliseconds of ``func(env)``; the cursor is opened before."""
        uid = self.uids[login]
        cr = self.registry.cursor()
        try:
            env = self.odoo.api.Environment(cr, uid, self.context(uid))
            start = time.perf_counter()
            func(env)
            return (time.perf_counter() - start) * 1000
        finally:
            cr.rollback()
            cr.close()


class Work:
    """A measured call, built where it runs: ``FUNCS[kind](*args)``, a
    callable of ``env``. The key names it between the processes."""

    _keys = itertools.count()

    def __init__(self, kind, *args):
        self.kind, self.args, self.key = kind, args, next(Work._keys)


# what a measuring process tells the main one about its database
SIDE_INFO = (
    "uids",
    "company_id",
    "export_ids",
    "form_ids",
    "user_ids",
    "has_id_field",
    "id_refs",
    "specs",
)


# the suite's methods that reads or searches of any model may go through
# (module, class, methods), deleted by --ablate-hooks (the read and search
# hooks of base.py are only on the classes of protected models)
HOOKS = (
    (
        "base",
        "Base",
        (
            "_search_display_name",
            "_export_rows",
            "read_group",
            "_read_group_orderby",
            "onchange",
            "copy_data",
        ),
    ),
    ("ir_rule", "IrRule", ("_compute_domain",)),
    ("res_partner", "ResPartner", ("_fetch_query",)),
    ("res_partner_identity", "ResPartner", ("_determine_fields_to_fetch",)),
)


def strip_hooks(registry):
    """Delete the suite's hooks from its classes, and the read and search
    hooks from the registry classes of the protected models, after the
    registry is loaded: Odoo's own methods then run, without the suite's
    frames. Only for measuring what the hooks cost: the suite no longer
    protects."""
    import importlib

    from odoo.addons.customer_privacy.models.base import READ_HOOKS

    for module, cls, names in HOOKS:
        klass = getattr(
            importlib.import_module(f"odoo.addons.customer_privacy.models.{module}"),
            cls,
        )
        for name in names:
            delattr(klass, name)
    for name in list(registry):
        klass = registry[name]
        for attr in (*READ_HOOKS, "_privacy_read_hooks"):
            if attr in vars(klass):
                delattr(klass, attr)


def serve(conn, db, stripped=False):
    """A measuring process: loads ``db``'s registry, then runs the requests
    of the main process one at a time: ``define`` a :class:`Work`, and
    ``timed``, ``call`` or ``profile`` one. ``stripped``: without the
    suite's hooks (:func:`strip_hooks`)."""
    import odoo

    # every measuring process on the same core: same clock, same caches
    cores = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cores[-1]})
    odoo.tools.config.parse_config(["-c", str(CONF)])
    side = Side(odoo, db)
    if stripped:
        strip_hooks(side.registry)
    gc.collect()
    gc.freeze()  # the registry's objects: out of the collector's way
    conn.send({name: getattr(side, name) for name in SIDE_INFO})
    funcs = {}
    while True:
        request = conn.recv()
        op = request[0]
        if op == "stop":
            return
        if op == "define":
            _op, key, kind, args = request
            funcs[key] = FUNCS[kind](*args)
            continue
        _op, login, key, *extra = request
        try:
            if op == "timed":
                func, count = funcs[key], extra[0]
                side.timed(login, func)  # back into the CPU caches, untimed
                value = [side.timed(login, func) for _ in range(count)]
            elif op == "call":
                value = side.call(login, funcs[key])
            else:
                value = profile_text(side, login, funcs[key], *extra)
        except Exception:  # reported to the main process, which stops
            conn.send(("error", traceback.format_exc()))
        else:
            conn.send(("ok", value))


class RemoteSide:
    """A :class:`Side` in its own process. ``timed`` and ``call`` take a
    :class:`Work`; ``timed`` returns ``count`` timings, not one."""

    def __init__(self, db, stripped=False):
        context = multiprocessing.get_context("spawn")
        self.db = db
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=serve, args=(child, db, stripped), daemon=True
        )
        self.process.start()
        self.defined = set()

    def ready(self):
        """Wait for the registry to be loaded."""
        for name, value in self.conn.recv().items():
            setattr(self, name, value)
        return self

    def ask(self, op, login, work, *extra):
        if work.key not in self.defined:
            self.conn.send(("define", work.key, work.kind, work.args))
            self.defined.add(work.key)
        self.conn.send((op, login, work.key, *extra))
        status, value = self.conn.recv()
        if status == "error":
            raise RuntimeError(f"{self.db}: {value}")
        return value

    def timed(self, login, work, count):
        """``count`` timings of ``work``, after an untimed run."""
        return self.ask("timed", login, work, count)

    def call(self, login, work):
        return self.ask("call", login, work)

    def stop(self):
        self.conn.send(("stop",))
        self.process.join(30)


class SidePool:
    """One side measured in ``processes`` processes of its own, taking the
    turns in rotation. Each Python process has its own memory layout and
    hash seeds, which shift every timing it takes by up to a few percent for
    its whole life: pooled over several processes, that bias averages out
    instead of deciding a ratio. ``call`` and profiles use the first one."""

    def __init__(self, db, processes, stripped=False):
        self.db = db
        self.members = [RemoteSide(db, stripped) for _ in range(processes)]
        self.next_member = 0

    def ready(self):
        for member in self.members:
            member.ready()
        for name in SIDE_INFO:
            setattr(self, name, getattr(self.members[0], name))
        return self

    def warm(self, login, work, count):
        for member in self.members:
            member.timed(login, work, count)

    def timed(self, login, work, count):
        member = self.members[self.next_member % len(self.members)]
        self.next_member += 1
        return member.timed(login, work, count)

    def call(self, login, work):
        return self.members[0].call(login, work)

    def ask(self, op, login, work, *extra):
        return self.members[0].ask(op, login, work, *extra)

    def stop(self):
        for member in self.members:
            member.stop()


TAG_WIDGETS = {"many2many_tags", "many2many_tags_avatar", "many2many_avatar_user"}
SUBVIEW_TAGS = ("list", "kanban")


def view_spec(env, model, view_type):
    """The ``specification`` the web client sends for this view, built as
    its getFieldsSpec does (web/static/src/model/relational_model/utils.js):
    every field node of the view, ``display_name`` of many2ones, the fields
    of inline x2many sub-views (limit 40), ``display_name`` and ``color`` of
    tags."""
    from lxml import etree

    views = env[model].get_views([(False, view_type)])
    # the arch comes from our own database
    arch = etree.fromstring(views["views"][view_type]["arch"])  # noqa: S320
    spec = node_spec(arch, model, views["models"])
    if view_type == "form":
        spec.setdefault("display_name", {})
    return spec


def field_nodes(root):
    """Field nodes of ``root``'s own view (not those of its sub-views)."""
    stack = list(root)
    while stack:
        node = stack.pop(0)
        if node.tag == "field":
            yield node
        else:
            stack[0:0] = list(node)


def node_spec(root, model, models):
    fields = models.get(model, {}).get("fields", {})
    spec = {}
    for node in field_nodes(root):
        field = fields.get(node.get("name"))
        if not field:
            continue
        entry = spec.setdefault(node.get("name"), {})
        always_invisible = node.get("invisible") in ("1", "True")
        if field["type"] in ("many2one", "reference"):
            entry["fields"] = {} if always_invisible else {"display_name": {}}
        elif field["type"] in ("one2many", "many2many") and not always_invisible:
            sub = next((c for c in node if c.tag in SUBVIEW_TAGS), None)
            if sub is not None:
                entry["fields"] = node_spec(sub, field["relation"], models)
                entry["limit"] = 40
            elif node.get("widget") in TAG_WIDGETS:
                entry["fields"] = {"display_name": {}}
                if "color_field" in (node.get("options") or ""):
                    entry["fields"]["color"] = {}
    return spec


class Case:
    """A measured pair: ``base`` and ``other`` are (side, login, func)."""

    def __init__(self, name, base, other, reps, target=None, note=""):
        self.name, self.base, self.other = name, base, other
        self.reps, self.target, self.note = reps, target, note
        self.times = ([], [])
        self.turn_ratios = []  # other / base of the medians of adjacent turns


def measure(cases, warmup, burst):
    """Interleave: per case, warm both up, then take turns in the order
    (base, other), (other, base), ... so drift and noise hit both. A turn is
    ``burst`` timed runs after an untimed one: a process that waited for its
    turn starts with caches the other one filled."""
    for case in cases:
        runs = (case.base, case.other)
        for side, login, work in runs:
            side.warm(login, work, warmup)
        # long runs (an export) take turns one by one: noise lasts less than them
        size = max(1, min(burst, case.reps // 16))
        for turn in range(max(1, case.reps // size)):
            order = (0, 1) if turn % 2 == 0 else (1, 0)
            turn = [None, None]
            for i in order:
                side, login, work = runs[i]
                turn[i] = side.timed(login, work, size)
                case.times[i].extend(turn[i])
            case.turn_ratios.append(
                statistics.median(turn[1]) / statistics.median(turn[0])
            )
        log(f"measured {case.name}")


def rotate(values):
    """A callable handing out ``values`` in turn."""
    state = {"i": -1}

    def next_value():
        state["i"] = (state["i"] + 1) % len(values)
        return values[state["i"]]

    return next_value


LIST_PAGES = 25  # the list case pages through the first 2,000 customers


def list_read(spec, pages=LIST_PAGES):
    """The Contacts list, page after page: each run masks other values (a
    cache of masked values would not hide the cost of masking)."""
    next_page = rotate(range(pages))

    def run(env):
        return env["res.partner"].web_search_read(
            [], spec, offset=80 * next_page(), limit=80, order="", count_limit=10_001
        )

    return run


def form_read(ids, spec):
    next_id = rotate(ids)

    def run(env):
        return env["res.partner"].browse(next_id()).web_read(spec)

    return run


def export(ids):
    def run(env):
        return env["res.partner"].browse(ids).export_data(EXPORT_FIELDS)

    return run


def model_list(model, spec):
    def run(env):
        return env[model].web_search_read([], spec, limit=80, count_limit=10_001)

    return run


def users_read(ids):
    def run(env):
        return env["res.users"].browse(ids).read(USER_FIELDS)

    return run


def exact_search(fname, values):
    next_value = rotate(values)

    def run(env):
        return env["res.partner"].search([(fname, "=", next_value())])

    return run


FUNCS = {
    func.__name__: func
    for func in (list_read, form_read, export, model_list, users_read, exact_search)
}


def build_cases(vanilla, suite, scale, index_sides=None):
    def reps(n):
        return max(3, int(n * scale))

    same_list = vanilla.specs["res.partner", "list"]
    same_form = vanilla.specs["res.partner", "form"]
    S = SALES_LOGIN
    cases = [
        Case(
            "(a) list 80 customers",
            (vanilla, S, Work("list_read", same_list)),
            (suite, S, Work("list_read", same_list)),
            reps(80),
            1.15,
            "same spec: vanilla Contacts list",
        ),
        Case(
            "(a') list, each own view",
            (vanilla, S, Work("list_read", same_list)),
            (suite, S, Work("list_read", suite.specs["res.partner", "list"])),
            reps(80),
            1.15,
            "suite list view adds 5 fields",
        ),
        Case(
            "(b) form web_read",
            (vanilla, S, Work("form_read", vanilla.form_ids, same_form)),
            (suite, S, Work("form_read", suite.form_ids, same_form)),
            reps(150),
            1.15,
            "same spec: vanilla partner form",
        ),
        Case(
            "(b') form, each own view",
            (vanilla, S, Work("form_read", vanilla.form_ids, same_form)),
            (
                suite,
                S,
                Work("form_read", suite.form_ids, suite.specs["res.partner", "form"]),
            ),
            reps(150),
            1.15,
            "suite form adds the Privacy tab",
        ),
        Case(
            "(c) export 10,000 x 8 fields",
            (vanilla, S, Work("export", vanilla.export_ids)),
            (suite, S, Work("export", suite.export_ids)),
            reps(15),
            1.3,
            "5 of the 8 fields protected",
        ),
    ]
    cases += no_policy_cases(vanilla, suite, reps, "(d)", 1.02)
    if index_sides and index_sides[1].id_refs:
        vanilla_index, suite_index = index_sides
        refs = suite_index.id_refs
        A = ADMIN_LOGIN
        cases += [
            Case(
                "(e) exact search, blind index",
                (vanilla_index, A, Work("exact_search", "ref", refs)),
                (suite_index, A, Work("exact_search", ID_FIELD, refs)),
                reps(400),
                2.0,
                "suite id number vs vanilla ref",
            ),
            Case(
                "(e') same, within the suite",
                (suite_index, A, Work("exact_search", "ref", refs)),
                (suite_index, A, Work("exact_search", ID_FIELD, refs)),
                reps(400),
                2.0,
                "suite id number vs suite ref",
            ),
        ]
    return cases


def no_policy_cases(base, other, reps, prefix, target):
    """(d): models without any policy, read the same way on both sides."""
    S = SALES_LOGIN
    cases = []
    for model, label in (
        ("res.country", "res.country"),
        ("res.partner.industry", "industry"),
    ):
        spec = base.specs[model, "list"]
        cases.append(
            Case(
                f"{prefix} {label} list",
                (base, S, Work("model_list", model, spec)),
                (other, S, Work("model_list", model, spec)),
                reps(1000),
                target,
                "no policy",
            )
        )
    cases.append(
        Case(
            f"{prefix} res.users read",
            (base, S, Work("users_read", base.user_ids)),
            (other, S, Work("users_read", other.user_ids)),
            reps(1000),
            target,
            f"{len(base.user_ids)} users, no policy",
        )
    )
    return cases


def ablation_cases(vanilla, stripped, scale):
    """The (d) cases against the suite without its hooks (no target)."""
    cases = no_policy_cases(
        vanilla, stripped, lambda n: max(3, int(n * scale)), "(dx)", None
    )
    for case in cases:
        case.note = "suite without its hooks"
    return cases


def calibration_cases(vanilla, twin, scale):
    """The (d) cases with vanilla Odoo on both sides, in two processes: how
    far from 1.000 this machine puts two identical sides (no target)."""
    cases = no_policy_cases(
        vanilla, twin, lambda n: max(3, int(n * scale)), "(d0)", None
    )
    for case in cases:
        case.note = "vanilla vs vanilla, noise floor"
    return cases


def sanity(vanilla, suite):
    """Same customers on both sides, and the suite really masks."""
    spec = vanilla.specs["res.partner", "list"]
    rows = {
        side.db: side.call(SALES_LOGIN, Work("list_read", spec, 1))
        for side in (vanilla, suite)
    }
    v, s = rows[VANILLA], rows[SUITE]
    names_v = [r["complete_name"] for r in v["records"]]
    names_s = [r["complete_name"] for r in s["records"]]
    masked = sum("*" in (r.get("phone") or "") for r in s["records"])
    clear = sum("*" in (r.get("phone") or "") for r in v["records"])
    log(
        f"sanity: {v['length']} / {s['length']} customers listed, same 80 names: "
        f"{names_v == names_s}, masked phones vanilla {clear} / suite {masked}"
    )
    log(
        f"export {len(vanilla.export_ids)} / {len(suite.export_ids)} customers; "
        f"form spec {len(vanilla.specs['res.partner', 'form'])} / "
        f"{len(suite.specs['res.partner', 'form'])} fields; list spec "
        f"{len(spec)} / {len(suite.specs['res.partner', 'list'])} fields"
    )


def report(cases):
    """The table. The verdict is on the ratio of the medians; the ratio of
    the minimums is printed too: on a machine shared with other work it is
    the steadier estimate of the intrinsic cost."""
    header = (
        f"{'case':30} {'vanilla ms':>17} {'suite ms':>17} {'ratio':>6} "
        f"{'(min)':>6} {'turns':>6} {'target':>7}  result  note"
    )
    print()
    print(
        "median (min) of n interleaved runs in ms; ratio = suite median / vanilla "
        "median, (min) = suite min / vanilla min"
    )
    print(header)
    print("-" * len(header))
    failed = []
    for case in cases:
        med = [statistics.median(t) for t in case.times]
        low = [min(t) for t in case.times]
        ratio = med[1] / med[0]
        verdict = "-"
        if case.target:
            verdict = "PASS" if ratio <= case.target else "FAIL"
            if verdict == "FAIL":
                failed.append(case)
        target = f"<={case.target:.2f}" if case.target else "-"
        print(
            f"{case.name:30} {med[0]:8.2f} ({low[0]:6.2f}) {med[1]:8.2f} "
            f"({low[1]:6.2f}) {ratio:6.3f} {low[1] / low[0]:6.3f} "
            f"{statistics.median(case.turn_ratios):6.3f} {target:>7}  "
            f"{verdict:6}  n={len(case.times[0])}, {case.note}"
        )
    return failed


# Odoo functions worth naming in a profile of the suite side
ODOO_HOT = {
    "filtered_domain": "record rules evaluated in Python",
    "lookup": "ormcache lookups",
    "<method 'execute' of 'psycopg2.extensions.cursor' objects>": "SQL",
}


def profile(cases, top):
    """cProfile the suite side of ``cases``, in its process."""
    for case in cases:
        side, login, work = case.other
        reps = max(3, min(case.reps, 30))
        print(side.ask("profile", login, work, reps, case.name, top))


def profile_text(side, login, func, reps, name, top):
    """The share of customer_privacy's functions (cumulative and own time)
    in ``reps`` runs of ``func``, and of a few Odoo functions it leads to."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    for _ in range(reps):
        profiler.enable()
        side.timed(login, func)
        profiler.disable()
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    rows, own = [], 0.0
    for (path, line, fname), (_cc, _nc, tt, ct, _callers) in stats.stats.items():
        if "customer_privacy" in path or "phonenumbers" in path:
            own += tt
            short = path.split("customer_privacy/")[-1].split("site-packages/")[-1]
            rows.append((ct, tt, f"{short}:{line} {fname}"))
        elif fname in ODOO_HOT and ("odoo" in path or path == "~"):
            rows.append((ct, tt, f"odoo {fname} ({ODOO_HOT[fname]})"))
    lines = [
        f"\nprofile of {name} (suite side, {reps} runs, "
        f"{total * 1000 / reps:.1f} ms per run under cProfile); own time in "
        f"customer_privacy + phonenumbers: {own / total:.0%}",
        f"{'cum %':>6} {'own %':>6}  function",
    ]
    lines += [
        f"{ct / total:6.1%} {tt / total:6.1%}  {fname}"
        for ct, tt, fname in sorted(rows, reverse=True)[:top]
    ]
    return "\n".join(lines)


def code_state():
    """What was measured: the commit and whether customer_privacy differs
    from it (other work in progress in the tree)."""

    def git(*args):
        result = subprocess.run(  # noqa: S603 - fixed git read-only commands
            ["git", "-C", str(REPO), *args],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        )
        return result.stdout.strip()

    dirty = git("status", "--porcelain", "--", "customer_privacy")
    return (
        f"commit {git('rev-parse', '--short', 'HEAD')}, customer_privacy "
        f"{'with uncommitted changes' if dirty else 'clean'} "
        f"(source fingerprint {suite_fingerprint()})"
    )


# --------------------------------------------------------------------- main


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reuse", action="store_true", help="reuse built databases")
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--index-rows", type=int, default=200_000)
    parser.add_argument(
        "--scale", type=float, default=1.0, help="multiply the repetitions"
    )
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument(
        "--burst", type=int, default=4, help="timed runs per turn of a side"
    )
    parser.add_argument(
        "--cases",
        default="abcde",
        help="letters of the cases to run, e.g. 'ad' (default: all)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="cProfile the suite side of every case over its target",
    )
    parser.add_argument(
        "--calibrate",
        action="store_true",
        help="also run the (d) cases with vanilla Odoo on both sides: the noise floor",
    )
    parser.add_argument(
        "--ablate-hooks",
        action="store_true",
        help="also run the (d) cases against bench_suite with the suite's hooks "
        "deleted from its classes: what the hooks cost",
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=4,
        help="measuring processes per side, taking turns: pools out the bias "
        "each process's memory layout gives its timings",
    )
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    return parser.parse_args()


def main():
    args = parse_args()
    if args.worker:
        task, db = args.worker
        if task == "generate":
            worker_generate(db, args.customers)
        elif task == "index":
            worker_index(db, args.index_rows)
        return
    started = time.time()
    write_config()
    build(args)
    ensure_suite_current()
    has_field = psql(
        SUITE,
        "SELECT 1 FROM ir_model_fields WHERE model = 'res.partner' "
        f"AND name = '{ID_FIELD}'",
    )
    if has_field and "e" in args.cases:
        ensure_index_rows(args)
    log(f"measuring {code_state()}")
    log(f"loading each registry in {args.processes} processes of its own")
    k = args.processes
    vanilla, suite = SidePool(VANILLA, k), SidePool(SUITE, k)
    sides = [vanilla, suite]
    index_sides = None
    if has_field and "e" in args.cases:
        index_sides = (SidePool(INDEX_DBS[VANILLA], k), SidePool(INDEX_DBS[SUITE], k))
        sides += index_sides
    if args.calibrate:
        twin = SidePool(VANILLA, k)
        sides.append(twin)
    if args.ablate_hooks:
        stripped = SidePool(SUITE, k, stripped=True)
        sides.append(stripped)
    for side in sides:
        side.ready()
    sanity(vanilla, suite)
    cases = [
        case
        for case in build_cases(vanilla, suite, args.scale, index_sides)
        if case.name[1] in args.cases
    ]
    if args.calibrate:
        cases += calibration_cases(vanilla, twin, args.scale)
    if args.ablate_hooks:
        cases += ablation_cases(vanilla, stripped, args.scale)
    measure(cases, args.warmup, args.burst)
    failed = report(cases)
    if not has_field:
        print(f"(e) skipped: {ID_FIELD} not present")
    elif index_sides and not index_sides[1].id_refs:
        print(f"(e) skipped: no customer has a blind index of {ID_FIELD}")
    if args.profile and failed:
        profile(failed, top=25)
    for side in sides:
        side.stop()
    print(f"\ntotal {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
