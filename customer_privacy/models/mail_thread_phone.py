# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models
from odoo.osv import expression


class MailThreadPhone(models.AbstractModel):
    _inherit = "mail.thread.phone"

    def _search_phone_mobile_search(self, operator, value):
        """The phone/mobile search runs raw SQL with LIKE patterns: for users
        who see a number field masked, only a whole number may be searched,
        and it is compared as a number (E.164) with each number field."""
        value = value.strip() if isinstance(value, str) else value
        policies = self._privacy_policies()
        number_fields = [
            fname
            for fname in self._phone_get_number_fields()
            if fname in self._fields and self._fields[fname].store
        ]
        hidden = [
            policies[fname]
            for fname in number_fields
            if fname in policies and not self._privacy_user_cleared(policies[fname])
        ]
        if not hidden or not value or value is True:
            return super()._search_phone_mobile_search(operator, value)
        self._privacy_refuse_oracle(hidden[0], "phone_mobile_search", operator, value)
        if operator not in ("=", "!=", "=like", "=ilike"):
            return super()._search_phone_mobile_search(operator, value)
        domain = expression.OR([[(fname, "=", value)] for fname in number_fields])
        return ["!", *domain] if operator == "!=" else domain
