# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Time-boxed clear access to customers' protected fields (SPEC §5).

A reveal with a reason creates one; an approved usage request will create
one too. A grant works only while ``date_expire`` is in the future, which the
clearance query checks itself: expiry needs no scheduled job."""

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError

from .base import _cached_call


class PrivacyAccessGrant(models.Model):
    _name = "privacy.access.grant"
    _description = "Access Grant to Protected Customer Data"
    _order = "date_expire desc, id desc"
    _rec_name = "user_id"

    user_id = fields.Many2one(
        "res.users", required=True, index=True, ondelete="cascade", readonly=True
    )
    partner_ids = fields.Many2many(
        "res.partner",
        "privacy_access_grant_partner_rel",
        "grant_id",
        "partner_id",
        string="Customers",
        required=True,
        readonly=True,
    )
    field_names = fields.Char(
        string="Fields",
        readonly=True,
        help="Comma-separated technical names of the fields opened; empty means "
        "every field up to the level.",
    )
    level = fields.Selection(
        [("medium", "Medium"), ("high", "High")],
        required=True,
        default="medium",
        readonly=True,
        help="Highest sensitivity opened when no fields are named.",
    )
    date_expire = fields.Datetime(string="Expires", required=True, readonly=True)
    origin = fields.Selection(
        [("reveal", "Reveal"), ("request", "Approved request")],
        required=True,
        readonly=True,
    )
    reason = fields.Text(readonly=True)
    is_live = fields.Boolean(compute="_compute_is_live")

    @api.depends("date_expire")
    def _compute_is_live(self):
        now = fields.Datetime.now()
        for grant in self:
            grant.is_live = grant.date_expire > now

    @api.model_create_multi
    def create(self, vals_list):
        # Grants are created by the reveal wizard and by approvals, with their
        # checks, in sudo; nobody creates one directly over RPC.
        if not self.env.su:
            raise AccessError(
                self.env._("Access grants are created by reveals and approvals only.")
            )
        grants = super().create(vals_list)
        self._clear_horizon()
        return grants

    def write(self, vals):
        if not self.env.su:
            raise AccessError(self.env._("Access grants cannot be changed."))
        self._clear_horizon()
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            raise AccessError(self.env._("Access grants cannot be deleted."))
        self._clear_horizon()
        return super().unlink()

    def _clear_horizon(self):
        """Forget the cached horizons now and once more after the commit: a
        concurrent request may cache the horizon in between without the
        grant, which must not stay hidden until the next change."""
        registry = self.env.registry
        registry.clear_cache()
        self.env.cr.postcommit.add(registry.clear_cache)

    @api.model
    @tools.ormcache("user_id")
    def _grant_horizon(self, user_id):
        """When the user's last grant expires (None without any grant):
        users without a live grant - nearly all reads - cost no query.
        Creating or changing a grant clears the cache."""
        self.env.cr.execute(
            "SELECT max(date_expire) FROM privacy_access_grant WHERE user_id = %s",
            [user_id],
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _has_live_grants(self, user_id):
        """Whether the user holds some live grant, without a query."""
        # every masked read asks: the cache without its decorator's binding
        horizon = _cached_call(type(self)._grant_horizon, self, user_id)
        return horizon is not None and horizon > fields.Datetime.now()

    @api.model
    def _live_grants(self, user_id, partner_ids):
        """{partner id: [(field names or None, level), ...]} of the user's live
        grants on these customers, in one query."""
        if not partner_ids or not self._has_live_grants(user_id):
            return {}
        now = fields.Datetime.now()
        self.env.cr.execute(
            """
            SELECT rel.partner_id, g.field_names, g.level
              FROM privacy_access_grant g
              JOIN privacy_access_grant_partner_rel rel ON rel.grant_id = g.id
             WHERE g.user_id = %s
               AND g.date_expire > %s
               AND rel.partner_id = ANY(%s)
            """,
            [user_id, now, list(partner_ids)],
        )
        grants = {}
        for pid, names, level in self.env.cr.fetchall():
            fnames = frozenset(n.strip() for n in names.split(",")) if names else None
            grants.setdefault(pid, []).append((fnames, level))
        return grants
