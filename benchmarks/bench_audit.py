#!/usr/bin/env python3
"""Cost of customer_privacy_audit's access log, against OCA auditlog.

Three databases with identical customers (benchaud_base is built, the two
others are copies of it with one more addon):

- benchaud_base:  customer_privacy (and its dependencies)
- benchaud_audit: the same plus customer_privacy_audit
- benchaud_oca:   the same plus OCA auditlog 18.0, logging reads of
  res.partner (rule log_read=True, log_type "fast": auditlog's read wrapper
  ignores log_type, so "fast" costs the same as "full" on reads and less on
  the writes the rule also logs)

then measures, on the same data in the same run:

1. a salesperson's Contacts list view (web_search_read, 80 customers, with
   phone and email) on the three databases, interleaved; each call runs in
   its own transaction and is committed, so the audit row (pre-commit hook)
   and the auditlog rows (written during the call) are paid per request;
2. chain verification of --log-rows access log rows in benchaud_audit (filled
   in SQL with realistic values, then sealed with ``_seal()``);
3. the anomaly job over those rows from scratch (every rule's checkpoint at
   0), then incrementally after --increment more rows.

OCA auditlog is not a project requirement: unless ``odoo-addon-auditlog`` is
installed in the virtualenv, the script pip-installs it (--no-deps) into its
work directory and adds it to its own addons path. Databases are named
benchaud_*; the work directory (configuration, master key, filestore, logs)
is $BENCHAUD_WORK, ~/.cache/benchaud by default. It is a report, not a test:
it always exits 0.

    .venv/bin/python benchmarks/bench_audit.py [--reuse] [--profile]
"""

import argparse
import base64
import configparser
import cProfile
import datetime
import hashlib
import importlib.metadata
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import benchdata

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = Path(os.environ.get("BENCHAUD_WORK", Path.home() / ".cache" / "benchaud"))
CONF = WORK / "odoo.conf"
ODOO_SRC = Path(os.environ.get("ODOO_SRC", "/opt/odoo18"))
AUDITLOG_DIR = WORK / "auditlog"
AUDITLOG_REQ = "odoo-addon-auditlog>=18.0,<18.1"

BASE, AUDIT, OCA = "benchaud_base", "benchaud_audit", "benchaud_oca"
DATABASES = (BASE, AUDIT, OCA)
BASE_MODULES = "base,contacts,mail,phone_validation,portal,base_setup,customer_privacy"
EXTRA_MODULE = {AUDIT: "customer_privacy_audit", OCA: "auditlog"}
OCA_LOG_TYPE = "fast"
DATA_VERSION = 2
MARKER = "benchaud.dataset"
SALES_LOGIN = "benchaud_sales"
BATCH = 1000
CREATE_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "no_reset_password": True,
}

# synthetic access log
LOG_USERS, GONE_USERS = 40, 2  # active users writing the log, archived ones
LOG_DAYS = 50  # weekdays the filled rows span (10 weeks before this one)
LOG_SEED = 0.2026
HAMMERED = 777  # index of the customer a few users open over and over
# (low, high, action, pool kind, field names, origin, reason): a log row's
# action by a uniform draw; its record ids come from the pool of that kind
MIX = [
    (0.0, 0.38, "view_masked", "page", "email,mobile,phone", None, None),
    (0.38, 0.55, "view_masked", "part", "email,mobile,phone", None, None),
    (0.55, 0.70, "view_masked", "one", "email,mobile,phone", None, None),
    (0.70, 0.75, "view_clear", "few", "email,mobile,phone", "grant", None),
    (0.75, 0.80, "view_clear", "few", "email,mobile,phone", "role", None),
    (0.80, 0.90, "write", "one", "phone", None, None),
    (0.90, 0.95, "create", "one", "email,phone", None, None),
    (0.95, 0.9985, "view_masked", "part", "email,mobile,phone", None, None),
    (0.9985, 0.9995, "reveal", "one", "privacy_id_number", "reveal", "customer call"),
    (0.9995, 1.0, "export", "exp", "email,mobile,phone,vat", None, None),
]
# record-id pools: kind -> number of arrays drawn (see prepare_pools); the
# "one" pool holds every customer alone
POOL_SIZES = {"page": 4000, "part": 4000, "few": 4000, "exp": 1000}


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# ----------------------------------------------------------------- building


def auditlog_path():
    """Addons directory holding OCA auditlog: the virtualenv's own when
    ``odoo-addon-auditlog`` is installed there (None: already on Odoo's
    path), else a pip --target directory under WORK, installed on demand."""
    try:
        importlib.metadata.distribution("odoo-addon-auditlog")
    except importlib.metadata.PackageNotFoundError:
        pass
    else:
        return None
    addons = AUDITLOG_DIR / "odoo" / "addons"
    if not (addons / "auditlog" / "__manifest__.py").exists():
        log(f"installing {AUDITLOG_REQ} into {AUDITLOG_DIR}")
        # odoo itself is the only dependency, and it is installed already
        subprocess.run(  # noqa: S603 (fixed argv, no shell)
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-deps",
                "--target",
                str(AUDITLOG_DIR),
                AUDITLOG_REQ,
            ],
            check=True,
        )
    return addons


def write_config():
    """Our configuration: the project's addons path and connection, OCA
    auditlog, a master key and a data directory of our own under WORK."""
    WORK.mkdir(parents=True, exist_ok=True)
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
    extra = auditlog_path()
    if extra:
        options["addons_path"] += f",{extra}"
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
    CONF.write_text("[options]\n" + "".join(f"{k} = {v}\n" for k, v in options.items()))


def connect(db):
    import psycopg2

    parser = configparser.ConfigParser(interpolation=None)
    parser.read(CONF)
    kwargs = {"dbname": db}
    for key in ("user", "host", "port", "password"):
        value = parser.get("options", f"db_{key}", fallback="False")
        if value not in ("False", ""):
            kwargs[key] = value
    return psycopg2.connect(**kwargs)


def psql(db, sql, params=None):
    """First column of the first row, None when the database or table is
    missing."""
    import psycopg2

    try:
        cnx = connect(db)
    except psycopg2.OperationalError:
        return None
    try:
        with cnx, cnx.cursor() as cr:
            cr.execute(sql, params)
            row = cr.fetchone() if cr.description else None
            return row[0] if row else None
    except psycopg2.Error:
        return None
    finally:
        cnx.close()


def autocommit_sql(db, sql):
    """Statements that cannot run in a transaction (DROP/CREATE DATABASE,
    VACUUM)."""
    cnx = connect(db)
    cnx.autocommit = True
    try:
        with cnx.cursor() as cr:
            cr.execute(sql)
    finally:
        cnx.close()


def read_marker(db):
    value = psql(db, "SELECT value FROM ir_config_parameter WHERE key = %s", [MARKER])
    return json.loads(value) if value else None


def module_installed(db, module):
    state = psql(db, "SELECT state FROM ir_module_module WHERE name = %s", [module])
    return state == "installed"


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


def worker_cmd(task, db, *args):
    return [sys.executable, str(Path(__file__).resolve()), "--worker", task, db, *args]


def run_parallel(commands):
    """Run {name: argv} at once (2 cores); stop on the first failure."""
    procs = {
        # argv built by this script (odoo-bin or itself), no shell
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


def drop(db):
    autocommit_sql("postgres", f'DROP DATABASE IF EXISTS "{db}"')
    shutil.rmtree(WORK / "data" / "filestore" / db, ignore_errors=True)


def copy_database(source, target):
    """CREATE DATABASE ... TEMPLATE and the filestore, as Odoo duplicates."""
    drop(target)
    autocommit_sql("postgres", f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
    store = WORK / "data" / "filestore"
    if (store / source).exists():
        shutil.copytree(store / source, store / target)


def fingerprint(*addons):
    """Hash of the addons' source: a reused database is updated (or rebuilt)
    when the code changed since it was built."""
    digest = hashlib.sha256()
    for addon in addons:
        root = REPO / addon
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in {".py", ".xml", ".csv"}:
                digest.update(str(path.relative_to(REPO)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def set_marker_sql(db, **values):
    marker = read_marker(db) or {}
    marker.update(values)
    psql(
        db,
        "UPDATE ir_config_parameter SET value = %s WHERE key = %s",
        [json.dumps(marker), MARKER],
    )


def build(args):
    """benchaud_base with users and customers; benchaud_audit and
    benchaud_oca as copies of it plus their audit addon. With --reuse, only
    what is missing or stale is rebuilt: customer_privacy is updated in
    benchaud_base when its source changed, the copies are made again when
    benchaud_base or customer_privacy_audit changed, and benchaud_audit
    also when an earlier run filled its log."""
    wanted = {"version": DATA_VERSION, "customers": args.customers}
    suite = fingerprint("customer_privacy")
    marker = read_marker(BASE) or {}
    if not args.reuse or any(marker.get(k) != v for k, v in wanted.items()):
        for db in DATABASES:
            drop(db)
        log(f"installing {BASE}")
        start = time.time()
        run_parallel({BASE: odoo_cmd(BASE, "-i", BASE_MODULES)})
        log(f"installed in {time.time() - start:.0f} s")
        start = time.time()
        out = run_parallel(
            {BASE: worker_cmd("generate", BASE, f"--customers={args.customers}")}
        )
        log(f"{BASE}: {out[BASE].strip()} ({time.time() - start:.0f} s)")
        set_marker_sql(BASE, suite=suite)
        autocommit_sql(BASE, "VACUUM ANALYZE")
    elif marker.get("suite") != suite:
        log(f"customer_privacy changed since {BASE} was built: updating it")
        run_parallel({BASE: odoo_cmd(BASE, "-u", "customer_privacy")})
        set_marker_sql(
            BASE, suite=suite, build=base64.b32encode(os.urandom(5)).decode()
        )
        autocommit_sql(BASE, "VACUUM ANALYZE")
    marker = read_marker(BASE)
    audit = fingerprint("customer_privacy_audit")
    stale = []
    for db in (AUDIT, OCA):
        copy_marker = read_marker(db) or {}
        if (
            copy_marker.get("build") != marker["build"]
            or not module_installed(db, EXTRA_MODULE[db])
            or copy_marker.get("filled")
            or (db == AUDIT and copy_marker.get("audit") != audit)
        ):
            stale.append(db)
    if stale:
        for db in stale:
            copy_database(BASE, db)
        log(f"installing {', '.join(EXTRA_MODULE[db] for db in stale)} (parallel)")
        start = time.time()
        run_parallel({db: odoo_cmd(db, "-i", EXTRA_MODULE[db]) for db in stale})
        if OCA in stale:
            run_parallel({OCA: worker_cmd("oca_rule", OCA)})
        if AUDIT in stale:
            set_marker_sql(AUDIT, audit=audit)
        for db in stale:
            autocommit_sql(db, "VACUUM ANALYZE")
        log(f"done in {time.time() - start:.0f} s")


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
    """The salesperson and ``count`` customers through the ORM (batches of
    1,000, tracking off); one customer in three is the salesperson's."""
    odoo, registry = odoo_env(db)
    start = time.time()
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, CREATE_CONTEXT)
        groups = [
            env.ref(g).id
            for g in ("customer_privacy.group_privacy_user", "base.group_allow_export")
        ]
        sales = env["res.users"].create(
            {
                "name": "Benchaud Sales",
                "login": SALES_LOGIN,
                "email": f"{SALES_LOGIN}@example.com",
                "groups_id": [odoo.Command.set(groups)],
            }
        )
        countries = {
            code: env.ref(f"base.{code}").id
            for code in ("cn", "fr", "de", "us", "be", "it")
        }
        values = benchdata.customers(count, countries)
        for index, vals in enumerate(values):
            if index % 3 == 0:
                vals["user_id"] = sales.id
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
        set_marker(
            env,
            version=DATA_VERSION,
            customers=count,
            build=base64.b32encode(os.urandom(5)).decode(),
        )
    print(f"{count} customers in {time.time() - start:.0f} s")


def worker_oca_rule(db):
    """The auditlog rule: log reads (and writes) of res.partner."""
    odoo, registry = odoo_env(db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        rule = env["auditlog.rule"].create(
            {
                "name": "Customers",
                "model_id": env.ref("base.model_res_partner").id,
                "log_read": True,
                "log_write": True,
                "log_create": True,
                "log_unlink": True,
                "log_export_data": True,
                "log_type": OCA_LOG_TYPE,
            }
        )
        rule.subscribe()
    print("auditlog rule on res.partner subscribed")


# ------------------------------------------------------ 1. list view cost


class Side:
    """One database: its registry, the salesperson, one request at a time."""

    def __init__(self, odoo, db):
        from odoo.modules.registry import Registry

        self.odoo = odoo
        self.db = db
        self.registry = Registry(db)
        with self.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            self.uid = env["res.users"].search([("login", "=", SALES_LOGIN)]).id
            self.company_id = env.ref("base.main_company").id

    def context(self):
        return {
            "lang": "en_US",
            "tz": "Asia/Shanghai",
            "uid": self.uid,
            "allowed_company_ids": [self.company_id],
            "bin_size": True,
        }

    def call(self, func):
        """``func(env)`` as the salesperson, rolled back."""
        cr = self.registry.cursor()
        try:
            return func(self.odoo.api.Environment(cr, self.uid, self.context()))
        finally:
            cr.rollback()
            cr.close()

    def timed(self, func):
        """(ms of the call, ms of call + commit): one committed request."""
        cr = self.registry.cursor()
        try:
            env = self.odoo.api.Environment(cr, self.uid, self.context())
            start = time.perf_counter()
            func(env)
            called = time.perf_counter()
            cr.commit()
            end = time.perf_counter()
            return (called - start) * 1000, (end - start) * 1000
        finally:
            cr.close()


TAG_WIDGETS = {"many2many_tags", "many2many_tags_avatar", "many2many_avatar_user"}


def list_spec(env):
    """The specification the web client sends for the Contacts list view
    (getFieldsSpec: every field node, display_name of many2ones and tags)."""
    from lxml import etree

    views = env["res.partner"].get_views([(False, "list")])
    # the arch comes from our own database
    arch = etree.fromstring(views["views"]["list"]["arch"])  # noqa: S320
    fields = views["models"]["res.partner"]["fields"]
    spec = {}
    for node in arch.iter("field"):
        field = fields.get(node.get("name"))
        if not field or node.getparent().tag not in ("list", "tree"):
            continue
        entry = spec.setdefault(node.get("name"), {})
        if field["type"] in ("many2one", "reference"):
            entry["fields"] = {"display_name": {}}
        elif field["type"] in ("one2many", "many2many"):
            if node.get("widget") in TAG_WIDGETS:
                entry["fields"] = {"display_name": {}}
    return spec


def list_view(spec):
    def run(env):
        return env["res.partner"].web_search_read(
            [], spec, offset=0, limit=80, order="", count_limit=10_001
        )

    return run


def interleave(sides, func, reps, warmup):
    """{db: [(call ms, total ms)]}, the order rotating every repetition so
    that drift and noise hit every side alike."""
    for _ in range(warmup):
        for side in sides:
            side.timed(func)
    times = {side.db: [] for side in sides}
    for rep in range(reps):
        shift = rep % len(sides)
        order = sides[shift:] + sides[:shift]
        if rep % 2:
            order.reverse()
        for side in order:
            times[side.db].append(side.timed(func))
    return times


def log_counts(side):
    """Rows the audit trail holds in ``side``'s database."""
    tables = {
        AUDIT: ["privacy_audit_log"],
        OCA: ["auditlog_log", "auditlog_log_line"],
    }.get(side.db, [])
    cnx = connect(side.db)
    try:
        with cnx.cursor() as cr:
            counts = []
            for table in tables:
                cr.execute(f"SELECT count(*) FROM {table}")
                counts.append(cr.fetchone()[0])
            return counts
    finally:
        cnx.close()


def list_benchmark(odoo, sides, args):
    base = sides[BASE]
    spec = base.call(list_spec)
    missing = {"phone", "email"} - set(spec)
    if missing:
        sys.exit(f"the Contacts list view has no {missing}")
    func = list_view(spec)
    # sanity: the same 80 customers everywhere, masked for the salesperson,
    # and what one request writes to each audit trail
    results = {db: side.call(func) for db, side in sides.items()}
    names = {
        db: [(r["id"], r.get("complete_name")) for r in res["records"]]
        for db, res in results.items()
    }
    masked = sum("*" in (r.get("phone") or "") for r in results[BASE]["records"])
    log(
        f"list spec: {len(spec)} fields; {results[BASE]['length']} customers "
        f"listed, same 80 in the 3 databases: "
        f"{names[BASE] == names[AUDIT] == names[OCA]}; masked phones: {masked}/80"
    )
    written = {}
    for db in (AUDIT, OCA):
        before = log_counts(sides[db])
        sides[db].timed(func)
        after = log_counts(sides[db])
        written[db] = [a - b for a, b in zip(after, before, strict=True)]
    log(
        f"one list request writes: audit {written[AUDIT][0]} privacy_audit_log "
        f"row(s); auditlog {written[OCA][0]} auditlog_log + {written[OCA][1]} "
        f"auditlog_log_line rows"
    )
    order = [sides[BASE], sides[AUDIT], sides[OCA]]
    times = interleave(order, func, args.reps, args.warmup)
    log(f"list view measured ({args.reps} interleaved runs per database)")
    return spec, func, times, written


# --------------------------------------------- 2. and 3. chain and detection


def ensure_log_users(odoo, env):
    """LOG_USERS salespeople, GONE_USERS archived users and a compliance
    officer (alerts are assigned to her): ids of the first two kinds."""
    Users = env["res.users"].with_context(active_test=False, **CREATE_CONTEXT)
    user_group = env.ref("customer_privacy.group_privacy_user").id
    compliance = env.ref("customer_privacy.group_privacy_compliance").id
    wanted = [(f"benchaud_log_{i:02d}", user_group) for i in range(LOG_USERS)]
    wanted += [(f"benchaud_gone_{i}", user_group) for i in range(GONE_USERS)]
    wanted += [("benchaud_compliance", compliance)]
    existing = {u.login: u for u in Users.search([("login", "like", "benchaud_")])}
    for login, group in wanted:
        if login not in existing:
            existing[login] = Users.create(
                {
                    "name": login.replace("_", " ").title(),
                    "login": login,
                    "email": f"{login}@example.com",
                    "groups_id": [odoo.Command.set([group])],
                }
            )
    gone = [existing[f"benchaud_gone_{i}"] for i in range(GONE_USERS)]
    for user in gone:
        user.active = False
    active = [existing[f"benchaud_log_{i:02d}"].id for i in range(LOG_USERS)]
    return active, [u.id for u in gone]


def prepare_pools(cr):
    """Temporary tables the generator draws from: the customers, pools of
    record-id arrays, the action mix."""
    cr.execute("SELECT setseed(%s)", [LOG_SEED / 2])
    cr.execute(
        "CREATE TEMP TABLE bench_cust ON COMMIT DROP AS SELECT (row_number() OVER (ORDER BY id))::int"
        " AS k, id FROM res_partner WHERE ref IS NOT NULL AND active"
    )
    cr.execute("SELECT count(*) FROM bench_cust")
    customers = cr.fetchone()[0]
    cr.execute(
        "CREATE TEMP TABLE bench_pool (kind text, k int, ids jsonb, n int, "
        "PRIMARY KEY (kind, k)) ON COMMIT DROP"
    )
    # every customer alone (a form view, a write)
    cr.execute(
        "INSERT INTO bench_pool SELECT 'one', k - 1, jsonb_build_array(id), 1 FROM bench_cust"
    )
    # list pages: 80 customers in a row; partial pages of 2-79; 1-5 customers
    # picked anywhere (opened one by one); exports of 1-40 customers in a row
    for kind, length, scattered in (
        ("page", "80", False),
        ("part", "2 + floor(random() * 78)::int", False),
        ("few", "1 + floor(random() * 5)::int", True),
        ("exp", "1 + floor(random() * 40)::int", False),
    ):
        cr.execute(
            f"""
            WITH draw AS (
                SELECT p, 1 + floor(random() * (%(n)s - 80))::int AS start,
                       {length} AS len
                  FROM generate_series(0, %(size)s - 1) p
            ), pick AS (
                SELECT d.p, c.k, c.id
                  FROM draw d
                 CROSS JOIN LATERAL generate_series(0, d.len - 1) i
                  JOIN bench_cust c ON c.k = CASE WHEN %(scattered)s
                       THEN 1 + ((d.start * 7919 + i * 104729) %% %(n)s)
                       ELSE d.start + i END
            )
            INSERT INTO bench_pool
            SELECT %(kind)s, p, jsonb_agg(id ORDER BY k), count(*) FROM pick GROUP BY p
            """,
            {
                "n": customers,
                "size": POOL_SIZES[kind],
                "kind": kind,
                "scattered": scattered,
            },
        )
    cr.execute(
        "CREATE TEMP TABLE bench_mix (lo float8, hi float8, action varchar, "
        "kind text, size int, fields varchar, origin varchar, reason text) "
        "ON COMMIT DROP"
    )
    sizes = {**POOL_SIZES, "one": customers}
    for lo, hi, action, kind, fnames, origin, reason in MIX:
        cr.execute(
            "INSERT INTO bench_mix VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            [lo, hi, action, kind, sizes[kind], fnames, origin, reason],
        )
    cr.execute(
        "CREATE TEMP TABLE bench_special (g int PRIMARY KEY, uid int, action varchar,"
        " kind text, k int, night int, origin varchar) ON COMMIT DROP"
    )
    return customers


def anomalies(first_g, per_day, active, gone, incremental):
    """Rows that replace generated ones, so that rules fire:
    (g, user, action, pool kind, pool index, minute after 21:00 or None,
    origin)."""
    rows = []

    def at(day, fraction):
        return first_g + day * per_day + int(fraction * per_day)

    def hammer(user, day, fraction):
        # the same customer opened 25 times in ~12 minutes
        start = at(day, fraction)
        for i in range(25):
            rows.append(
                (start + 20 * i, user, "view_clear", "one", HAMMERED, None, "grant")
            )

    if incremental:
        hammer(active[6], 0, 0.2)
        return rows
    for user, day in ((active[0], 10), (active[1], 25), (active[2], 40)):
        hammer(user, day, 0.3)
    # a bulk export: 20 exports of 80 customers within minutes (many
    # customers and export volume)
    start = at(44, 0.6)
    for i in range(20):
        rows.append(
            (start + 10 * i, active[3], "export", "page", 100 + 37 * i, None, None)
        )
    # evening work: the last rows of two days, at 21:00 and after
    for user, day in ((active[4], 30), (active[5], 45)):
        end = at(day + 1, 0) - 1
        for i in range(8):
            rows.append((end - i, user, "view_clear", "few", i, 8 - i, "role"))
    # archived accounts still in use
    for user, day, count in ((gone[0], 47, 15), (gone[1], 48, 10), (gone[1], 49, 10)):
        start = at(day, 0.5)
        for i in range(count):
            rows.append((start + 7 * i, user, "view_masked", "page", i, None, None))
    return rows


GENERATE_SQL = """
INSERT INTO privacy_audit_log (log_time, user_id, action, model, res_ids,
    record_count, field_names, reason, origin, ip, session_hash)
SELECT date_trunc('second',
           (t.local AT TIME ZONE %(tz)s) AT TIME ZONE 'UTC'),
       t.uid, t.action, 'res.partner', p.ids, p.n, t.fields, t.reason, t.origin,
       '10.1.' || (t.uid / 250) || '.' || (t.uid %% 250),
       left(md5(t.uid || ':' || t.day), 16)
  FROM (
    SELECT r.g, r.day,
           COALESCE(s.uid, (%(users)s::int[])[1 + floor(r.r1 * %(nusers)s)::int]) AS uid,
           COALESCE(s.action, m.action) AS action,
           COALESCE(s.kind, m.kind) AS kind,
           COALESCE(s.k, floor(r.r3 * m.size)::int) AS k,
           CASE WHEN s.action IS NULL THEN m.fields
                WHEN s.action = 'export' THEN 'email,mobile,phone,vat'
                ELSE 'email,mobile,phone' END AS fields,
           CASE WHEN s.action IS NULL THEN m.reason END AS reason,
           CASE WHEN s.action IS NULL THEN m.origin ELSE s.origin END AS origin,
           %(monday)s::timestamp
             + ((r.day / 5) * 7 + r.day %% 5) * interval '1 day'
             + CASE WHEN s.night IS NOT NULL
                    THEN interval '21 hours' + s.night * interval '1 minute'
                    ELSE interval '1 hour' * (8 + r.frac * 8 + (r.frac >= 0.5)::int)
               END AS local
      FROM (
        SELECT g, (g - 1) / %(per_day)s AS day,
               ((g - 1) %% %(per_day)s)::float8 / %(per_day)s AS frac,
               random() AS r1, random() AS r2, random() AS r3
          FROM generate_series(%(g0)s, %(g1)s) g
      ) r
      JOIN bench_mix m ON r.r2 >= m.lo AND r.r2 < m.hi
      LEFT JOIN bench_special s ON s.g = r.g
  ) t
  JOIN bench_pool p ON p.kind = t.kind AND p.k = t.k
 ORDER BY t.g
"""


def fill_log(cr, g0, g1, per_day, monday, tz, active, specials):
    """Rows g0..g1 of the synthetic timeline: ``per_day`` rows each weekday
    from ``monday`` (local time, 8:00-12:00 and 13:00-17:00 in ``tz``)."""
    cr.execute("TRUNCATE bench_special")
    cr.executemany(
        "INSERT INTO bench_special VALUES (%s, %s, %s, %s, %s, %s, %s)", specials
    )
    cr.execute("SELECT setseed(%s)", [LOG_SEED])
    cr.execute(
        GENERATE_SQL,
        {
            "tz": tz,
            "users": active,
            "nusers": len(active),
            "monday": monday,
            "per_day": per_day,
            "g0": g0,
            "g1": g1,
        },
    )
    return cr.rowcount


class Meter:
    """Where the time of ``func()`` goes on cursor ``cr``: SQL execution and
    row fetching (psycopg2 decoding, jsonb included) by statement kind, the
    rest being Python. With ``explain`` ({kind: n}), the n-th statement of
    that kind runs as EXPLAIN (ANALYZE, BUFFERS, WAL) (which executes it; a
    query then runs again for its rows); with ``profile``, cProfile."""

    def __init__(self, cr, classify, explain=None, profile=False):
        self.cr, self.classify = cr, classify
        self.explain = dict(explain or {})
        self.profile = profile
        self.sql = {}  # kind -> [seconds of each statement]
        self.fetch = {}  # kind -> seconds
        self.plans = []
        self.seconds = 0.0
        self.top = ""

    def run(self, label, func):
        from odoo.tools import SQL

        cr = self.cr
        execute, fetchall = cr.execute, cr.fetchall
        state = {"kind": None}

        def metered_execute(query, params=None, log_exceptions=True):
            text = query.code if isinstance(query, SQL) else str(query)
            kind = state["kind"] = self.classify(text)
            times = self.sql.setdefault(kind, [])
            start = time.perf_counter()
            if self.explain.get(kind) == len(times) + 1:
                if isinstance(query, SQL):
                    plan_query = SQL("EXPLAIN (ANALYZE, BUFFERS, WAL) %s", query)
                else:
                    plan_query = "EXPLAIN (ANALYZE, BUFFERS, WAL) " + query
                execute(plan_query, params, log_exceptions)
                plan = [row[0] for row in fetchall()]
                self.plans.append((kind, len(times) + 1, plan))
                result = None
                if not text.lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE")):
                    # a query: run again for the rows its caller fetches
                    result = execute(query, params, log_exceptions)
            else:
                result = execute(query, params, log_exceptions)
            times.append(time.perf_counter() - start)
            return result

        def metered_fetchall():
            start = time.perf_counter()
            rows = fetchall()
            kind = state["kind"]
            self.fetch[kind] = self.fetch.get(kind, 0.0) + time.perf_counter() - start
            return rows

        profiler = cProfile.Profile() if self.profile else None
        cr.execute, cr.fetchall = metered_execute, metered_fetchall
        start = time.perf_counter()
        try:
            if profiler:
                profiler.enable()
            result = func()
            if profiler:
                profiler.disable()
        finally:
            self.seconds = time.perf_counter() - start
            del cr.execute, cr.fetchall  # back to the class's methods
        if profiler:
            self.top = top_functions(profiler)
        log(f"{label}: {self.seconds:.1f} s")
        return result

    def breakdown(self):
        """'SQL kind n x: s (first/last ms) + fetch s + Python s' text."""
        parts = []
        accounted = 0.0
        for kind, times in self.sql.items():
            total = sum(times)
            fetch = self.fetch.get(kind, 0.0)
            accounted += total + fetch
            text = f"{kind} {len(times)}x {total:.1f} s"
            if len(times) > 10:
                text += (
                    f" (first {times[0] * 1000:.0f} ms, last {times[-1] * 1000:.0f} ms)"
                )
            if fetch >= 0.05:
                text += f" + fetch {fetch:.1f} s"
            parts.append(text)
        parts.append(f"Python {self.seconds - accounted:.1f} s")
        return "; ".join(parts)


def top_functions(profiler, count=12):
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    lines = []
    for (path, line, name), (_cc, nc, tt, ct, _callers) in sorted(
        stats.stats.items(), key=lambda item: -item[1][2]
    )[:count]:
        short = path.split("/odoo18/")[-1].split("/main/")[-1].split("python3.11/")[-1]
        lines.append(
            f"    {tt / total:6.1%} own {ct / total:6.1%} cum {nc:>9} calls  "
            f"{short}:{line} {name}"
        )
    return "\n".join(lines)


def seal_kind(text):
    if "row_hash IS NULL" in text:
        return "SELECT unsealed"
    if text.lstrip().startswith("UPDATE"):
        return "UPDATE chain"
    return "other SQL"


def verify_kind(text):
    if "chain_seq >" in text:
        return "SELECT page"
    return seal_kind(text)


def detect_kind(text):
    if text.startswith("SELECT id FROM privacy_audit_log WHERE"):
        return "evidence"
    if ("privacy_audit_log" in text and "WITH" in text) or "JOIN res_users" in text:
        return "rule"
    return "ORM"


def vacuum_log(db):
    autocommit_sql(db, "VACUUM ANALYZE privacy_audit_log")


def chain_benchmark(odoo, side, args):
    """Fill, seal, verify; detect from scratch; add rows; seal, detect."""
    out = {}
    registry = side.registry
    n = args.log_rows
    per_day = max(1, n // LOG_DAYS)
    today = datetime.date.today()
    this_monday = today - datetime.timedelta(days=today.weekday())
    monday = this_monday - datetime.timedelta(weeks=LOG_DAYS // 5)

    def env_of(cr):
        return odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})

    with registry.cursor() as cr:
        env = env_of(cr)
        active, gone = ensure_log_users(odoo, env)
        calendar = env.company.resource_calendar_id
        tz = calendar.tz or "UTC"
        set_marker(env, filled=True)
        cr.commit()
        customers = prepare_pools(cr)
        specials = anomalies(1, per_day, active, gone, incremental=False)
        start = time.perf_counter()
        out["filled"] = fill_log(cr, 1, n, per_day, monday, tz, active, specials)
        cr.commit()
        out["fill_s"] = time.perf_counter() - start
    log(
        f"{out['filled']:,} log rows inserted in {out['fill_s']:.0f} s over "
        f"{customers} customers, {LOG_DAYS} weekdays from {monday} ({tz})"
    )
    vacuum_log(side.db)
    out["table_mb"] = psql(
        side.db, "SELECT pg_total_relation_size('privacy_audit_log') / 1048576"
    )
    out["avg_ids"] = psql(
        side.db,
        "SELECT avg(jsonb_array_length(res_ids))::numeric(6,1) FROM privacy_audit_log",
    )
    batches = n // 5000
    with registry.cursor() as cr:
        meter = Meter(
            cr,
            seal_kind,
            # a late batch of each statement, when the table is large
            {"SELECT unsealed": batches, "UPDATE chain": batches}
            if args.profile
            else None,
            args.profile,
        )
        out["sealed"] = meter.run("seal", env_of(cr)["privacy.audit.log"]._seal)
        out["seal"] = meter
        cr.commit()
    vacuum_log(side.db)
    runs = []
    for run in range(args.verify_runs):
        with registry.cursor() as cr:
            meter = Meter(cr, verify_kind, profile=args.profile and not run)
            result = meter.run(
                f"verify #{run + 1}", env_of(cr)["privacy.audit.log"]._verify
            )
            runs.append(meter)
            out["verify_ok"], out["verified"] = result.ok, result.checked
            cr.rollback()
    # the median run of those not under cProfile (the first, with --profile)
    plain = runs[1:] if args.profile and len(runs) > 1 else runs
    out["verify_runs"] = [m.seconds for m in plain]
    out["verify"] = sorted(plain, key=lambda m: m.seconds)[len(plain) // 2]
    out["verify"].top = runs[0].top
    out["detect"] = detect_run(odoo, registry, args, reset=True)
    # the next rows, on the following weekday, sealed then detected
    with registry.cursor() as cr:
        prepare_pools(cr)
        g0 = LOG_DAYS * per_day + 1
        specials = anomalies(g0, per_day, active, gone, incremental=True)
        out["added"] = fill_log(
            cr, g0, g0 + args.increment - 1, per_day, monday, tz, active, specials
        )
        cr.commit()
    with registry.cursor() as cr:
        meter = Meter(cr, seal_kind)
        out["inc_sealed"] = meter.run(
            "incremental seal", env_of(cr)["privacy.audit.log"]._seal
        )
        out["inc_seal"] = meter
        cr.commit()
    out["detect_inc"] = detect_run(odoo, registry, args, reset=False)
    return out


def detect_run(odoo, registry, args, reset):
    """Time ``search([])._detect()`` (committed), metered; then, rolled
    back, each rule's hit query alone with the same checkpoints."""
    res = {}
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        Rule = env["privacy.audit.rule"]
        if reset:
            Rule.search([]).with_context(privacy_rule_checkpoint=True).write(
                {"last_log_id": 0}
            )
            cr.commit()
        rules = Rule.search([])
        since = {rule.id: rule.last_log_id for rule in rules}
        cr.execute("SELECT COALESCE(max(id), 0) FROM privacy_audit_log")
        upto = cr.fetchone()[0]
        meter = Meter(cr, detect_kind, profile=args.profile)
        alerts = meter.run(
            "detect from scratch" if reset else "incremental detect", rules._detect
        )
        res["meter"] = meter
        res["alerts"] = len(alerts)
        res["by_rule"] = {}
        for alert in alerts:
            key = alert.rule_id.rule_type
            res["by_rule"][key] = res["by_rule"].get(key, 0) + 1
        cr.commit()
        res["since"], res["upto"] = since, upto
        res["rules"] = []
        for rule in rules:
            start = time.perf_counter()
            hits = getattr(rule, f"_hits_{rule.rule_type}")(since[rule.id], upto)
            res["rules"].append(
                (rule.rule_type, (time.perf_counter() - start) * 1000, len(hits))
            )
        cr.rollback()
    return res


def explain_detect(side, since=None, upto=None):
    """EXPLAIN ANALYZE of each rule's query as _detect runs it with the
    checkpoints ``since`` ({rule id: last log id}, all 0 by default) and of
    the evidence query of its first hit."""
    import odoo
    from odoo.tools import SQL

    registry = side.registry
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        if upto is None:
            cr.execute("SELECT COALESCE(max(id), 0) FROM privacy_audit_log")
            upto = cr.fetchone()[0]
        title = "from checkpoint 0" if not since else "incremental"
        for rule in env["privacy.audit.rule"].search([]):
            start = (since or {}).get(rule.id, 0)
            meter = Meter(cr, detect_kind, {"rule": 1})
            hits = meter.run(
                f"{rule.rule_type} hits, {title}",
                lambda r=rule, a=start: getattr(r, f"_hits_{r.rule_type}")(a, upto),
            )
            for _kind, _n, plan in meter.plans:
                text = "\n".join(f"    {line}" for line in plan)
                print(f"\n-- {rule.rule_type}: EXPLAIN ANALYZE, {title}\n{text}")
            if hits and not since:
                cr.execute(
                    SQL(
                        "EXPLAIN (ANALYZE, BUFFERS) SELECT id FROM privacy_audit_log "
                        "WHERE %s ORDER BY id LIMIT 500",
                        hits[0]["evidence"],
                    )
                )
                text = "\n".join(f"    {r[0]}" for r in cr.fetchall())
                print(f"\n-- {rule.rule_type}: evidence of its first hit\n{text}")
        cr.rollback()


# --------------------------------------------------------------------- report


def median(values):
    return statistics.median(values)


def report(args, written, times, times_after, chain):
    print()
    print(
        "1. Contacts list, 80 customers of >= 20,000, as a salesperson "
        "(web_search_read + commit)"
    )
    print(
        f"   median (min) of {args.reps} interleaved requests per database; "
        "'call' excludes the commit, 'request' includes it"
    )
    header = f"   {'database':28} {'call ms':>16} {'request ms':>17}  rows written per request"
    print(header)
    print("   " + "-" * (len(header) - 3))
    what = {
        BASE: "-",
        AUDIT: f"{written[AUDIT][0]} privacy_audit_log row (80 ids)",
        OCA: f"{written[OCA][0]} auditlog_log + {written[OCA][1]} auditlog_log_line",
    }
    labels = {
        BASE: "benchaud_base (privacy)",
        AUDIT: "benchaud_audit (+audit)",
        OCA: f"benchaud_oca (+auditlog {OCA_LOG_TYPE})",
    }
    med = {}
    for db in DATABASES:
        call = [t[0] for t in times[db]]
        total = [t[1] for t in times[db]]
        med[db] = (median(call), median(total))
        print(
            f"   {labels[db]:28} {med[db][0]:8.2f} ({min(call):6.2f}) "
            f"{med[db][1]:8.2f} ({min(total):6.2f})  {what[db]}"
        )
    if times_after:
        call = [t[0] for t in times_after[AUDIT]]
        total = [t[1] for t in times_after[AUDIT]]
        base_total = median([t[1] for t in times_after[BASE]])
        print(
            f"   {'audit, log of ' + format(chain['rows_total'], ',') + ' rows':28} "
            f"{median(call):8.2f} ({min(call):6.2f}) {median(total):8.2f} "
            f"({min(total):6.2f})  base {base_total:.2f} ms in the same runs: "
            f"ratio {median(total) / base_total:.3f}"
        )
    audit_ratio = med[AUDIT][1] / med[BASE][1]
    oca_ratio = med[OCA][1] / med[AUDIT][1]
    extra_audit = med[AUDIT][1] - med[BASE][1]
    extra_oca = med[OCA][1] - med[BASE][1]
    print()
    print(f"   {'ratio':28} {'value':>8} {'target':>8}  result")
    print(
        f"   {'audit / base':28} {audit_ratio:8.3f} {'<= 1.2':>8}  {verdict(audit_ratio <= 1.2)}"
    )
    print(
        f"   {'oca / audit':28} {oca_ratio:8.2f} {'>= 5':>8}  {verdict(oca_ratio >= 5)}"
    )
    print(
        f"   added per request: audit {extra_audit:+.2f} ms, auditlog {extra_oca:+.2f} ms "
        f"(auditlog's overhead / ours: {extra_oca / extra_audit:.0f}x)"
        if extra_audit > 0
        else f"   added per request: audit {extra_audit:+.2f} ms, auditlog {extra_oca:+.2f} ms"
    )
    if not chain:
        return
    print()
    print(
        f"2-3. Access log of {chain['rows_total']:,} rows ({chain['table_mb']} MB with "
        f"indexes, {chain['avg_ids']} record ids per row on average)"
    )
    print(f"   {'step':52} {'seconds':>8} {'target':>8}  result")
    detect, inc = chain["detect"], chain["detect_inc"]
    steps = [
        ("fill (INSERT ... SELECT generate_series)", chain["fill_s"], None, None),
        (
            f"_seal() of {chain['sealed']:,} rows",
            chain["seal"].seconds,
            None,
            chain["seal"],
        ),
        (
            f"_verify() of {chain['verified']:,} rows (ok: {chain['verify_ok']}, "
            f"median of {len(chain['verify_runs'])})",
            chain["verify"].seconds,
            30,
            chain["verify"],
        ),
        (
            f"_detect() from 0: {detect['alerts']} alerts opened",
            detect["meter"].seconds,
            10,
            detect["meter"],
        ),
        (
            f"_seal() of {chain['inc_sealed']:,} new rows",
            chain["inc_seal"].seconds,
            None,
            chain["inc_seal"],
        ),
        (
            f"_detect() after {chain['added']:,} new rows: {inc['alerts']} alerts",
            inc["meter"].seconds,
            None,
            inc["meter"],
        ),
    ]
    for label, seconds, target, meter in steps:
        result = verdict(seconds <= target) if target else "-"
        tgt = f"<= {target}" if target else "-"
        print(f"   {label:52} {seconds:8.2f} {tgt:>8}  {result}")
        if meter:
            print(f"      where: {meter.breakdown()}")
        if meter is chain["verify"] and len(chain["verify_runs"]) > 1:
            runs = ", ".join(f"{v:.1f}" for v in chain["verify_runs"])
            print(f"      runs: {runs} s")
    for key, title in (("detect", "from 0"), ("detect_inc", "incremental")):
        det = chain[key]
        parts = ", ".join(f"{t} {ms:.0f} ms/{h} hits" for t, ms, h in det["rules"])
        print(f"   rule queries alone ({title}): {parts}")
        print(f"   alerts by rule ({title}): {det['by_rule'] or '-'}")
    meters = [
        ("seal", chain["seal"]),
        ("verify", chain["verify"]),
        ("detect from 0", detect["meter"]),
    ]
    for title, meter in meters:
        for kind, nth, plan in meter.plans:
            text = "\n".join(f"      {line}" for line in plan)
            print(f"\n   {title}: EXPLAIN of {kind} #{nth}\n{text}")
        if meter.top:
            print(f"\n   {title}: cProfile, top own time\n{meter.top}")


def verdict(ok):
    return "PASS" if ok else "FAIL"


# --------------------------------------------------------------------- main


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reuse", action="store_true", help="reuse built databases")
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--reps", type=int, default=40, help="list requests per db")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--log-rows", type=int, default=1_000_000)
    parser.add_argument("--increment", type=int, default=10_000)
    parser.add_argument("--verify-runs", type=int, default=3)
    parser.add_argument("--skip-chain", action="store_true", help="only part 1")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="cProfile seal/verify/detect and EXPLAIN ANALYZE the rule queries",
    )
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    return parser.parse_args()


def main():
    args = parse_args()
    if args.worker:
        task, db = args.worker
        if task == "generate":
            worker_generate(db, args.customers)
        elif task == "oca_rule":
            worker_oca_rule(db)
        return
    started = time.time()
    log(f"load average {os.getloadavg()[0]:.2f} (2 cores: others' work adds noise)")
    write_config()
    build(args)
    import odoo

    odoo.tools.config.parse_config(["-c", str(CONF)])
    sides = {db: Side(odoo, db) for db in DATABASES}
    _spec, func, times, written = list_benchmark(odoo, sides, args)
    chain = times_after = None
    if not args.skip_chain:
        chain = chain_benchmark(odoo, sides[AUDIT], args)
        chain["rows_total"] = psql(AUDIT, "SELECT count(*) FROM privacy_audit_log")
        # the list again, now that the log is large
        pair = [sides[BASE], sides[AUDIT]]
        times_after = interleave(pair, func, max(10, args.reps // 2), args.warmup)
        if args.profile:
            explain_detect(sides[AUDIT])
            inc = chain["detect_inc"]
            explain_detect(sides[AUDIT], inc["since"], inc["upto"])
    report(args, written, times, times_after, chain)
    print(
        f"\ntotal run time {time.time() - started:.0f} s, load average now "
        f"{os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
