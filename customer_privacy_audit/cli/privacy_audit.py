# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""``odoo-bin --addons-path=... privacy-audit -c CONF -d DB verify``

Verify the access log's hash chain; exits 1 and names the first broken,
missing or inserted entry when it was tampered with."""

import sys

from odoo.addons.customer_privacy.cli.common import database_parser, superuser_env
from odoo.cli import Command


class PrivacyAudit(Command):
    """Verify the Customer Privacy access log"""

    name = "privacy-audit"

    def run(self, cmdargs):
        parser = database_parser(self)
        parser.add_argument("action", choices=["verify", "seal"])
        args = parser.parse_args(cmdargs)
        with superuser_env(args) as env:
            cr = env.cr
            Log = env["privacy.audit.log"]
            if args.action == "seal":
                sys.stdout.write(f"sealed {Log._seal()} entries\n")
                return 0
            result = Log._verify()
            sys.stdout.write(Log._verdict_message(result) + "\n")
            # keep what sealing did
            cr.commit()  # pylint: disable=invalid-commit
            sys.exit(0 if result.ok else 1)
