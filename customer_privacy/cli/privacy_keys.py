# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""``odoo-bin --addons-path=... privacy-keys -c CONF -d DB ACTION``

- ``rotate [--batch-size N]``: re-wrap every data key and the blind-index key
  not yet under the active master key, committing each batch (resumable);
- ``retire KEY_ID``: check that a master key wraps nothing any more;
- ``verify``: unwrap every data key, decrypt every stored value; exits 1 on
  any failure.

The work is done by the ``privacy.key.service`` model; this is only the
command line around it."""

import sys

from odoo.cli import Command
from odoo.exceptions import UserError

from ..models.privacy_key_service import DEFAULT_BATCH_SIZE
from .common import database_parser, superuser_env


def _out(text):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


class PrivacyKeys(Command):
    """Rotate, retire and verify Customer Privacy encryption keys"""

    name = "privacy-keys"

    def run(self, cmdargs):
        parser = database_parser(self)
        actions = parser.add_subparsers(dest="action", required=True)
        rotate = actions.add_parser("rotate", help="re-wrap keys under the active key")
        rotate.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
        retire = actions.add_parser("retire", help="check a master key is unused")
        retire.add_argument("key_id")
        actions.add_parser("verify", help="decrypt every stored value")
        args = parser.parse_args(cmdargs)

        with superuser_env(args) as env:
            cr = env.cr
            service = env["privacy.key.service"]
            try:
                code = getattr(self, f"_{args.action}")(service, args)
            except UserError as exc:
                _out(f"error: {exc.args[0]}")
                code = 1
            # a command line run is its own transaction (rotate also commits
            # each batch so that it can resume)
            if code:
                cr.rollback()
            else:
                cr.commit()  # pylint: disable=invalid-commit
        sys.exit(code)

    def _rotate(self, service, args):
        def progress(done, total):
            _out(f"re-wrapped batch: {done}/{total} data keys processed")

        result = service._rotate(
            batch_size=args.batch_size, progress=progress, commit=True
        )
        _out(
            f"active master key {result['active_key_id']}: "
            f"{result['rewrapped']} data key(s) re-wrapped, "
            f"blind-index key {result['index_key']}, "
            f"{len(result['failed'])} failure(s)"
        )
        for partner_id, reason in result["failed"]:
            what = f"customer {partner_id}" if partner_id else "blind-index key"
            _out(f"  failed: {what}: {reason}")
        return 1 if result["failed"] else 0

    def _retire(self, service, args):
        result = service._retire(args.key_id)
        _out(result["message"])
        return 0

    def _verify(self, service, args):
        result = service._verify()
        _out(
            f"data keys: {result['keys_ok']} ok, {result['keys_failed']} failed; "
            f"values: {result['values_ok']} ok, {result['values_failed']} failed; "
            f"blind-index key: {result['index_key']}"
        )
        for partner_id, what, reason in result["failures"]:
            where = f"customer {partner_id}, {what}" if partner_id else what
            _out(f"  failed: {where}: {reason}")
        return 1 if result["failures"] else 0
