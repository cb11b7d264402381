# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Every user-visible term of both addons has a Simplified Chinese translation.

The terms are read from the installed database the way Odoo's own export does
(fields, selections, views, menus, groups, code strings), so a string added
anywhere without a translation fails here."""

from pathlib import Path

import polib

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader


@tagged("post_install", "-at_install")
class TestChineseTranslation(TransactionCase):
    def _check_module(self, module, expect_terms=True):
        po_path = Path(get_module_path(module)) / "i18n" / "zh_CN.po"
        self.assertTrue(po_path.is_file(), f"{po_path} is missing")
        po = polib.pofile(str(po_path))
        translated = {e.msgid for e in po if e.msgstr.strip() and not e.obsolete}
        terms = {
            source
            for _mod, _type, _name, _res_id, source, _value, _comments in (
                TranslationModuleReader(self.env.cr, modules=[module], lang="en_US")
            )
            if source and source.strip()
        }
        if expect_terms:
            self.assertGreater(len(terms), 50, f"too few terms found for {module}")
        missing = sorted(terms - translated)
        self.assertFalse(
            missing,
            f"{len(missing)} term(s) of {module} lack a zh_CN translation:\n"
            + "\n".join(missing[:40]),
        )
        fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
        self.assertFalse(fuzzy, f"fuzzy translations in {po_path}: {fuzzy[:10]}")

    def test_customer_privacy_fully_translated(self):
        self._check_module("customer_privacy")

    def test_customer_privacy_audit_fully_translated(self):
        self._check_module("customer_privacy_audit", expect_terms=False)
