# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""``odoo-bin --addons-path=... privacy-audit -c CONF -d DB verify``

Verify the access log's hash chain; exits 1 and names the first broken,
missing or inserted entry when it was tampered with."""

import argparse
import sys

import odoo
from odoo.cli import Command
from odoo.modules.registry import Registry


class PrivacyAudit(Command):
    """Verify the Customer Privacy access log"""

    name = "privacy-audit"

    def run(self, cmdargs):
        parser = argparse.ArgumentParser(
            prog=f"{sys.argv[0].split('/')[-1]} {self.name}", description=self.__doc__
        )
        parser.add_argument("-c", "--config", dest="config")
        parser.add_argument("-d", "--database", dest="database", required=True)
        parser.add_argument("action", choices=["verify", "seal"])
        args = parser.parse_args(cmdargs)
        config_args = ["-d", args.database] + (
            ["-c", args.config] if args.config else []
        )
        odoo.tools.config.parse_config(config_args)
        registry = Registry(args.database)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            Log = env["privacy.audit.log"]
            if args.action == "seal":
                sys.stdout.write(f"sealed {Log._seal()} entries\n")
                return 0
            result = Log._verify()
            sys.stdout.write(Log._verdict_message(result) + "\n")
            # keep what sealing did
            cr.commit()  # pylint: disable=invalid-commit
            sys.exit(0 if result.ok else 1)
