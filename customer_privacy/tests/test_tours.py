# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.tests import HttpCase, tagged

from .common import PrivacyCommon, role_login


@tagged("post_install", "-at_install")
class TestTours(PrivacyCommon, HttpCase):
    def test_salesperson_sees_privacy_tab_and_badge(self):
        self.start_tour(
            "/odoo/contacts",
            "customer_privacy_salesperson_tour",
            login=role_login("sales"),
        )

    def test_other_salesperson_cannot_find_top_secret_customer(self):
        self.start_tour(
            "/odoo/contacts",
            "customer_privacy_other_salesperson_tour",
            login=role_login("sales2"),
        )
