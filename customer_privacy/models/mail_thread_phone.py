# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models
from odoo.osv import expression


class MailThreadPhone(models.AbstractModel):
    _inherit = "mail.thread.phone"

    def _search_phone_mobile_search(self, operator, value):
        """The phone/mobile search runs raw SQL with LIKE patterns: for users
        who see the numbers masked, only exact numbers may be searched."""
        policies = self._privacy_policies()
        protected = [
            fname
            for fname in self._phone_get_number_fields()
            if fname in policies and not self._privacy_user_cleared(policies[fname])
        ]
        if not protected or not value or value is True:
            return super()._search_phone_mobile_search(operator, value)
        if operator not in ("=", "!="):
            self._privacy_check_search(protected[0], operator, value)
        terms = [[(fname, "=", value)] for fname in protected]
        domain = expression.OR(terms)
        return ["!", *domain] if operator == "!=" else domain
