# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""What the suite's command lines share: ``-c CONF -d DB`` and a superuser
environment on that database."""

import argparse
import sys
from contextlib import contextmanager

import odoo
from odoo.modules.registry import Registry


def database_parser(command):
    """An argument parser for ``command`` with ``-c``/``--config`` and a
    required ``-d``/``--database``."""
    parser = argparse.ArgumentParser(
        prog=f"{sys.argv[0].split('/')[-1]} {command.name}",
        description=command.__doc__,
    )
    parser.add_argument("-c", "--config", dest="config")
    parser.add_argument("-d", "--database", dest="database", required=True)
    return parser


@contextmanager
def superuser_env(args):
    """A superuser environment on ``args.database``, configured from
    ``args.config``; the cursor is closed on exit, its transaction left to
    the caller."""
    config_args = ["-d", args.database]
    if args.config:
        config_args += ["-c", args.config]
    odoo.tools.config.parse_config(config_args, setup_logging=True)
    with Registry(args.database).cursor() as cr:
        yield odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
