# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.models import NewId
from odoo.osv import expression
from odoo.tools import SQL

from ..tools import validation
from ..tools.sql import int_array
from .base import _cached_call, _memo, _memoized

SENSITIVITY = [("low", "Low"), ("medium", "Medium"), ("high", "High")]
SENSITIVITY_RANK = {"low": 0, "medium": 1, "high": 2}
CONFIDENTIALITY = [
    ("secret", "Secret (秘密)"),
    ("confidential", "Confidential (机密)"),
    ("top_secret", "Top Secret (绝密)"),
]
VALUE_GRADE = [("low", "Low Value"), ("medium", "Medium Value"), ("high", "High Value")]
CUSTOMER_STATE = [
    ("new", "New"),
    ("active", "Active"),
    ("lost", "Lost"),
    ("deregistered", "Deregistered"),
]
DEFAULT_INDUSTRY_CODE = "GEN"
PARAM_HIGH = "customer_privacy.value_high_threshold"
PARAM_LOW = "customer_privacy.value_low_threshold"
DEFAULT_HIGH, DEFAULT_LOW = 1_000_000.0, 100_000.0
# what decides which customers the top-secret rule hides from whom
RESTRICTION_FIELDS = ("privacy_restricted", "user_id", "privacy_authorized_user_ids")
RESTRICTION_SET = frozenset(RESTRICTION_FIELDS)
# above this many customers hidden from a user, the rule passes their ids as
# one array instead of one parameter each
HIDDEN_IDS_INLINE = 100
# memo keys (base.py's _memo, whose string keys are model names)
RESTRICTED_KEY = ("restricted",)
STAFF_KEY = ("staff",)

# Sensitivity of the data a customer record holds, per filled field (SPEC §4):
# contact details and addresses are medium. The field policy registry extends
# this with the encrypted high-sensitivity fields.
DATA_FIELD_SENSITIVITY = {
    "email": "medium",
    "phone": "medium",
    "mobile": "medium",
    "street": "medium",
    "street2": "medium",
    "zip": "medium",
    "vat": "medium",
}

# Classification takes effect only after review: on existing customers these
# fields are changed by data administrators (later by approved change
# requests, which write with their own checks).
CLASSIFICATION_FIELDS = frozenset(
    {
        "privacy_sensitivity_declared",
        "privacy_confidentiality",
        "privacy_annual_revenue",
        "privacy_value_grade",
        "privacy_value_grade_manual",
        "privacy_authorized_user_ids",
        "privacy_responsible_id",
        "privacy_storage_location",
    }
)
# kept from the destination when partners are merged
MERGE_KEPT = CLASSIFICATION_FIELDS | {"privacy_code"}


def value_grade_for(revenue, high, low):
    """High above X, medium from Y to X, low below Y (SPEC §4)."""
    if revenue > high:
        return "high"
    if revenue >= low:
        return "medium"
    return "low"


class ResPartner(models.Model):
    _inherit = "res.partner"
    _rec_names_search = [
        "complete_name",
        "email",
        "ref",
        "vat",
        "company_registry",
        "privacy_code",
    ]

    # The fields marked prefetch="privacy" load together, apart from the
    # default group: after a list read, Odoo's record-rule check fetches the
    # default group of every listed partner, and never needs these.
    privacy_code = fields.Char(
        string="Customer Code",
        readonly=True,
        copy=False,
        # found through the index of its unique constraint: each index of
        # res_partner costs every query of customers its planning and lock
        help="Industry code, registration year and serial (e.g. FI-2026-00042); "
        "assigned on creation, unique, never reused.",
        prefetch="privacy",
    )
    privacy_company_ids = fields.One2many(
        "res.company",
        "partner_id",
        string="Companies of This Database",
        help="Set when this partner is the partner of one of our own companies.",
    )
    privacy_restricted = fields.Boolean(
        string="Restricted",
        compute="_compute_privacy_restricted",
        store=True,
        # the rule reads its memo (_privacy_hidden_ids), not this column; the
        # memo is read again, in one scan, only when a change clears it. No
        # index: each index of res_partner costs every query of customers
        prefetch="privacy",
        help="Top secret and a customer record: only its salesperson, its "
        "authorised users and data administrators see it.",
    )
    privacy_visible = fields.Boolean(
        string="Visible to Me",
        compute="_compute_privacy_visible",
        search="_search_privacy_visible",
        help="The current user may see this customer (top-secret rule).",
    )
    # the form's three flags come from one compute: each computation of a
    # mail.thread field costs Odoo a tracking lookup, and the form reads all
    privacy_is_customer = fields.Boolean(
        string="Is a Customer Record",
        compute="_compute_privacy_form_flags",
        help="Not a user's own partner and not a company of this database.",
    )
    privacy_can_classify = fields.Boolean(compute="_compute_privacy_form_flags")
    privacy_can_reveal = fields.Boolean(
        compute="_compute_privacy_form_flags",
        help="Some fields are masked for you here and you may reveal them.",
    )
    privacy_sensitivity_declared = fields.Selection(
        SENSITIVITY,
        string="Declared Sensitivity",
        default="low",
        required=True,
        tracking=True,
        help="Level set by the reviewer; the effective level is never below the "
        "level of the data the record holds.",
        prefetch="privacy",
    )
    privacy_sensitivity = fields.Selection(
        SENSITIVITY,
        string="Sensitivity",
        compute="_compute_privacy_sensitivity",
        store=True,
        help="敏感级别: the higher of the declared level and the most sensitive "
        "filled field (high: identity documents, bank cards, credit reports; "
        "medium: phone, e-mail, address; low: name, industry, tags).",
        prefetch="privacy",
    )
    privacy_confidentiality = fields.Selection(
        CONFIDENTIALITY,
        string="Confidentiality",
        default="secret",
        required=True,
        tracking=True,
        help="保密等级. A top-secret (绝密) customer is visible only to its "
        "salesperson, its authorised users and data administrators.",
        prefetch="privacy",
    )
    privacy_annual_revenue = fields.Float(
        string="Annual Spend (CNY)",
        tracking=True,
        help="Yearly revenue from this customer; sets the value grade from the "
        "thresholds in Settings unless the grade is set by hand.",
        prefetch="privacy",
    )
    privacy_value_grade_manual = fields.Boolean(
        string="Value Grade Set by Hand",
        tracking=True,
        help="Keep the value grade chosen by hand (e.g. a strategic customer) "
        "instead of deriving it from the annual spend.",
        prefetch="privacy",
    )
    privacy_value_grade = fields.Selection(
        VALUE_GRADE,
        string="Value Grade",
        compute="_compute_privacy_value_grade",
        store=True,
        readonly=False,
        tracking=True,
        help="价值等级: high above the high threshold, medium between the two "
        "thresholds, low below the low threshold.",
        prefetch="privacy",
    )
    privacy_phone_invalid = fields.Boolean(
        string="Invalid Phone Number",
        compute="_compute_privacy_phone_invalid",
        search="_search_privacy_phone_invalid",
        groups="customer_privacy.group_privacy_data_admin",
        help="The phone or the mobile cannot be a phone number. New values are "
        "checked when saved; this finds those stored before, to correct them.",
    )
    privacy_customer_state = fields.Selection(
        CUSTOMER_STATE,
        string="Customer State",
        default="new",
        required=True,
        tracking=True,
        prefetch="privacy",
    )
    privacy_cooperation_end = fields.Date(
        string="Cooperation End Date",
        tracking=True,
        prefetch="privacy",
    )
    privacy_responsible_id = fields.Many2one(
        "res.users",
        string="Responsible Person",
        tracking=True,
        domain=[("share", "=", False)],
        help="责任人: answers for this customer's data.",
        prefetch="privacy",
    )
    privacy_storage_location = fields.Char(
        string="Storage Location",
        help="Where the customer's paper or offline records are kept "
        "(e.g. Server A, encrypted folder).",
        prefetch="privacy",
    )
    privacy_authorized_user_ids = fields.Many2many(
        "res.users",
        "res_partner_privacy_authorized_user_rel",
        "partner_id",
        "user_id",
        string="Authorised Users",
        domain=[("share", "=", False)],
        help="访问权限人: besides the salesperson, the users who may see this "
        "customer when it is top secret.",
    )

    _sql_constraints = [
        (
            "privacy_code_unique",
            "unique(privacy_code)",
            "This customer code is already used: customer codes are unique and "
            "never reused.",
        ),
    ]

    # ------------------------------------------------------------------ compute
    @api.depends("user_ids", "privacy_company_ids")
    @api.depends_context("uid")
    def _compute_privacy_form_flags(self):
        # the companies' partners from the registry cache, the user's role
        # and revealable fields from the memo
        companies = _cached_call(type(self)._privacy_company_partner_ids, self)
        can_classify = self._privacy_user_can_classify()
        fnames = self._privacy_revealable_fields()
        masked = self._privacy_masked_ids(fnames) if fnames else {}
        revealable = {rid for ids in masked.values() for rid in ids}
        for partner in self:
            partner.privacy_is_customer = not (
                partner.sudo().user_ids or partner._origin.id in companies
            )
            partner.privacy_can_classify = can_classify
            partner.privacy_can_reveal = partner.id in revealable

    @api.model
    @tools.ormcache()
    def _privacy_company_partner_ids(self):
        """Partners of the companies of this database. Odoo clears the cache
        when a company is created or deleted, and res.company when one
        changes its partner."""
        companies = self.env["res.company"].sudo().with_context(active_test=False)
        return frozenset(companies.search([]).partner_id.ids)

    def _privacy_open_ids(self):
        """Partners that are not customers (SPEC §4): the partners of the
        database's companies and of its active internal users. Field
        policies protect customers' personal data; a colleague's e-mail or
        the company's own phone stays readable, as it is in the users and
        companies they belong to (an identity number does not: high values
        stay protected on everyone). A portal user's partner is a customer."""
        ids = self._ids
        if not ids:
            return set()
        staff = self._privacy_staff_partner_ids()
        open_ids = staff.intersection(ids)
        if not isinstance(ids[0], int) or not isinstance(ids[-1], int):
            # a form being edited (onchange): its record is a NewId
            open_ids |= {
                rid for rid in ids if isinstance(rid, NewId) and rid.origin in staff
            }
        return open_ids

    @api.model
    def _privacy_ids_of_staff(self, records, link):
        """The ids of ``records`` whose ``link`` (a many2one to partners) is
        not a customer: their copies of its fields read clear like it."""
        staff = self._privacy_staff_partner_ids()
        # sudo: whose record it is decides how its values are shown
        return {rec.id for rec in records.sudo() if rec.id and rec[link].id in staff}

    def _privacy_staff_partner_ids(self):
        """The partners that are not customers (a frozenset of ids)."""
        return _memoized(self, STAFF_KEY, self._privacy_compute_staff_partner_ids)

    def _privacy_compute_staff_partner_ids(self):
        # sudo: who is staff decides what anyone sees. Memoized until the
        # registry cache is cleared: see res_users.py's write
        users = self.env["res.users"].sudo().search([("share", "=", False)])
        companies = _cached_call(type(self)._privacy_company_partner_ids, self)
        return frozenset(users.partner_id.ids) | companies

    @api.depends("privacy_confidentiality", "user_ids", "privacy_company_ids")
    def _compute_privacy_restricted(self):
        for partner in self:
            partner.privacy_restricted = (
                partner.privacy_confidentiality == "top_secret"
                and not partner.sudo().user_ids
                and not partner.sudo().privacy_company_ids
            )

    @api.depends_context("uid")
    @api.depends("privacy_restricted", "user_id", "privacy_authorized_user_ids")
    def _compute_privacy_visible(self):
        # Odoo checks the rule in Python on records already in the cache
        # (after every list and form fetch): the same memo as the SQL rule
        # answers, without reading any field or relation of the records.
        # Values are assigned in two batches, not record by record.
        hidden_ids = self._privacy_hidden_ids()
        hidden = (
            self.browse(
                rid for rid in self._ids if getattr(rid, "origin", rid) in hidden_ids
            )
            if hidden_ids
            else self.browse()
        )
        (self - hidden).privacy_visible = True
        hidden.privacy_visible = False

    @api.model
    def _privacy_top_secret_domain(self):
        """The top-secret rule's domain for the current user (called from
        the rule, ir_rule.py). Every search and fetch of partners, and of
        users through their partner, carries it: no term at all when no
        customer is hidden from this user, the common case; else the
        visibility field, whose search method turns the hidden ones into a
        list of ids. As a subquery the rule cost 0.1 ms in every fetch and
        0.5 ms in the count of a 10,000-customer list; even a term that is
        always true costs every query its parsing and the search method's
        call."""
        return [("privacy_visible", "=", True)] if self._privacy_hidden_ids() else []

    def _search_privacy_visible(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on visibility."))
        visible = (operator == "=") == value
        hidden = self._privacy_hidden_ids()
        if not hidden:
            return expression.TRUE_DOMAIN if visible else expression.FALSE_DOMAIN
        ids = sorted(hidden)
        if len(ids) > HIDDEN_IDS_INLINE:
            ids = SQL("(SELECT unnest(%s))", int_array(ids))
        return [("id", "not in" if visible else "in", ids)]

    @api.model
    def _privacy_hidden_ids(self):
        """The ids (a frozenset) of the restricted customers the current
        user may not see. Memoized like Odoo's own record rules, until the
        registry cache is cleared: any change of who may see a restricted
        customer clears it in every worker (``_write_multi``, ``write``)."""
        # changes pending in this transaction are written first: their
        # ``_write_multi`` forgets what the memo holds
        self._privacy_flush_restrictions()
        memo = _memo(self)
        if memo is None:  # the registry is loading
            memo = {}
        uid = self.env.uid
        hidden = memo.get(("hidden", uid))
        if hidden is None:
            restricted = memo.get(RESTRICTED_KEY)
            if restricted is None:
                restricted = memo[RESTRICTED_KEY] = self._privacy_read_restricted()
            hidden = memo["hidden", uid] = frozenset(
                pid
                for pid, (owner, authorized) in restricted.items()
                if owner != uid and uid not in authorized
            )
        return hidden

    def _fetch_query(self, query, fields):
        # whether a customer is a company decides whether a field protected on
        # individuals only is masked: read with that field, not in a query of
        # its own (an export's 10,000 customers)
        individual = self._privacy_individual_fields()
        if individual and any(field in fields for field in individual):
            is_company = self._fields["is_company"]
            if is_company not in fields:
                fields = [*fields, is_company]
        authorized = self._fields["privacy_authorized_user_ids"]
        if authorized not in fields:
            return super()._fetch_query(query, fields)
        fetched = super()._fetch_query(query, [f for f in fields if f != authorized])
        if fetched:
            fetched._privacy_read_authorized_users(authorized)
        return fetched

    def _privacy_individual_fields(self):
        """The fields protected on individuals only, for the current user
        (none in superuser mode): asked on every fetch of customers."""
        policies = self._privacy_policies()
        if not policies:
            return ()
        return _memoized(
            self,
            ("individual", self._name),
            lambda: tuple(
                self._fields[fname]
                for fname, policy in policies.items()
                if policy.only_individuals and fname in self._fields
            ),
        )

    def _privacy_read_authorized_users(self, field):
        """Read the authorised users of ``self`` (fetched customers) into
        the cache. Odoo's many2many read joins users and their partners under
        both models' rules and sorts them by name: 1.3 ms of every form. Most
        customers have none: one plain query on the relation tells which
        have some, and only those take Odoo's way."""
        having = self.browse(
            pid
            for (pid,) in self.env.execute_query(
                SQL(
                    "SELECT DISTINCT partner_id FROM %s WHERE partner_id IN %s",
                    SQL.identifier(field.relation),
                    tuple(self.ids),
                )
            )
        )
        if having:
            field.read(having)
        none = self - having
        self.env.cache.insert_missing(none, field, [()] * len(none))

    @api.model
    def _privacy_flush_restrictions(self):
        """Write the pending changes of who may see restricted customers,
        if any: every search and access check of partners and users asks,
        and there are nearly never any (a flush costs 20 calls to say so)."""
        env = self.env
        dirty, tocompute = env.cache.get_dirty_fields(), env.transaction.tocompute
        for fname in RESTRICTION_FIELDS:
            field = self._fields[fname]
            if field in dirty or tocompute.get(field):
                self.flush_model(RESTRICTION_FIELDS)
                return

    @api.model
    def _privacy_read_restricted(self):
        """{restricted customer id: (salesperson id, authorised user ids)}."""
        rows = self.env.execute_query(
            SQL(
                """SELECT p.id, p.user_id, ARRAY(
                       SELECT a.user_id FROM res_partner_privacy_authorized_user_rel a
                        WHERE a.partner_id = p.id)
                     FROM res_partner p
                    WHERE p.privacy_restricted
                    ORDER BY p.id"""
            )
        )
        return {pid: (owner, frozenset(authorized)) for pid, owner, authorized in rows}

    def _privacy_changes_restriction(self, vals_list):
        """Whether writing ``vals_list`` (one dict per record of ``self``)
        changes who may see some customer: one becomes restricted, or one
        that was has its restriction, salesperson or authorised users
        changed."""
        if any(vals.get("privacy_restricted") for vals in vals_list):
            return True
        touched = [
            rid
            for rid, vals in zip(self._ids, vals_list, strict=True)
            if not RESTRICTION_SET.isdisjoint(vals)
        ]
        memo = _memo(self) if touched else None
        if memo is None:  # nothing touched, or no memo yet (registry loading)
            return False
        known = memo.get(RESTRICTED_KEY)
        if known is None:
            # another worker may hold the memo: which customers are
            # restricted is read from the database, as it is before this write
            known = memo[RESTRICTED_KEY] = self._privacy_read_restricted()
        return any(rid in known for rid in touched)

    def _privacy_forget_restrictions(self):
        """Clear the registry cache (and the memo with it) in every worker,
        again once committed: a concurrent request of this process may have
        read the customers as they were before this transaction."""
        registry = self.env.registry
        registry.clear_cache()
        self.env.cr.postcommit.add(registry.clear_cache)

    @api.model
    def _privacy_revealable_fields(self):
        """The fields the current user may reveal here (the reveal wizard's:
        not high ones), memoized per user like the policies and groups they
        come from."""

        def compute():
            _admin, group_ids = self._privacy_user_groups()
            policies = self.env["privacy.field.policy"]._get_policies(self._name)
            return tuple(
                fname
                for fname, policy in policies.items()
                if policy.sensitivity != "high" and policy.reveal_group_ids & group_ids
            )

        return _memoized(self, ("reveal", self.env.uid), compute)

    def action_privacy_reveal(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reveal Protected Fields"),
            "res_model": "privacy.reveal.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.id},
        }

    @api.depends("privacy_sensitivity_declared", *DATA_FIELD_SENSITIVITY)
    def _compute_privacy_sensitivity(self):
        for partner in self:
            rank = SENSITIVITY_RANK[partner.privacy_sensitivity_declared or "low"]
            for fname, level in self._privacy_data_field_sensitivity().items():
                if partner[fname]:
                    rank = max(rank, SENSITIVITY_RANK[level])
            partner.privacy_sensitivity = SENSITIVITY[rank][0]

    @api.model
    def _privacy_data_field_sensitivity(self):
        """Field name -> level of the data fields that raise the sensitivity."""
        return DATA_FIELD_SENSITIVITY

    @api.depends("privacy_annual_revenue", "privacy_value_grade_manual")
    def _compute_privacy_value_grade(self):
        high, low = self._privacy_value_thresholds()
        for partner in self:
            if partner.privacy_value_grade_manual and partner.privacy_value_grade:
                continue
            partner.privacy_value_grade = value_grade_for(
                partner.privacy_annual_revenue or 0.0, high, low
            )

    @api.model
    def _privacy_value_thresholds(self):
        # sudo: every user's records compute their grade from the company
        # thresholds, which only administrators may change.
        params = self.env["ir.config_parameter"].sudo()
        high = float(params.get_param(PARAM_HIGH) or DEFAULT_HIGH)
        low = float(params.get_param(PARAM_LOW) or DEFAULT_LOW)
        return high, low

    @api.model
    def _privacy_recompute_value_grades(self):
        """Apply new thresholds to every grade not set by hand, in one query."""
        # flush pending grades too, or they would overwrite the UPDATE below
        self.flush_model(
            [
                "privacy_annual_revenue",
                "privacy_value_grade_manual",
                "privacy_value_grade",
            ]
        )
        high, low = self._privacy_value_thresholds()
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner
                   SET privacy_value_grade = CASE
                       WHEN COALESCE(privacy_annual_revenue, 0) > %(high)s THEN 'high'
                       WHEN COALESCE(privacy_annual_revenue, 0) >= %(low)s THEN 'medium'
                       ELSE 'low' END
                 WHERE privacy_value_grade_manual IS NOT TRUE
                """,
                high=high,
                low=low,
            )
        )
        self.invalidate_model(["privacy_value_grade"])

    # -------------------------------------------------------------- constraints
    @api.constrains("phone", "mobile")
    def _check_privacy_phones(self):
        # a masked value sent back never reaches here (Base.write drops it)
        for partner in self:
            for fname in partner._privacy_invalid_phone_fields():
                raise ValidationError(
                    self.env._(
                        "%(field)s of %(customer)s is not a phone number: "
                        "enter digits, with the country code for a number "
                        "outside %(country)s.",
                        field=self._fields[fname]._description_string(self.env),
                        customer=partner.display_name,
                        country=partner.country_id.name or self.env._("China"),
                    )
                )

    def _privacy_invalid_phone_fields(self):
        """Which of phone and mobile hold something that cannot be a phone
        number of the customer's country (China by default)."""
        self.ensure_one()
        region = self.country_id.code or "CN"
        return [
            fname
            for fname in ("phone", "mobile")
            if self[fname] and not validation.is_possible_phone(self[fname], region)
        ]

    @api.depends("phone", "mobile", "country_id")
    def _compute_privacy_phone_invalid(self):
        for partner in self:
            partner.privacy_phone_invalid = bool(
                partner._privacy_invalid_phone_fields()
            )

    def _search_privacy_phone_invalid(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on phone validity."))
        # Odoo does not check a field's groups in a search domain; the
        # data administrators are those who may classify
        if not self._privacy_user_can_classify():
            raise AccessError(
                self.env._("Only data administrators may look for invalid phones.")
            )
        # checked in Python (phonenumbers), in sudo: it tells which customers,
        # not values
        partners = (
            self.sudo()
            .with_context(active_test=False)
            .search_fetch(
                ["|", ("phone", "!=", False), ("mobile", "!=", False)],
                ["phone", "mobile", "country_id"],
            )
        )
        invalid = [p.id for p in partners if p._privacy_invalid_phone_fields()]
        return [("id", "in" if (operator == "=") == value else "not in", invalid)]

    @api.constrains("privacy_annual_revenue")
    def _check_privacy_annual_revenue(self):
        if any(p.privacy_annual_revenue < 0 for p in self):
            raise ValidationError(self.env._("The annual spend cannot be negative."))

    # -------------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("privacy_no_customer_code"):
            self._privacy_assign_codes(vals_list)
        for vals in vals_list:
            # A top-secret customer must stay visible to whoever registers it.
            if (
                vals.get("privacy_confidentiality") == "top_secret"
                and not vals.get("user_id")
                and not self.env.su
            ):
                vals["user_id"] = self.env.uid
        return super().create(vals_list)

    def write(self, vals):
        if self.env.context.get("privacy_merging"):
            # the partner merge writes every stored field of the merged
            # partners on the one kept, which keeps its own code and its
            # reviewed classification (changed by a change request only)
            vals = {k: v for k, v in vals.items() if k not in MERGE_KEPT}
        if "privacy_code" in vals and not self.env.su:
            raise AccessError(
                self.env._("Customer codes are assigned once and cannot be changed.")
            )
        if CLASSIFICATION_FIELDS.intersection(vals):
            self._privacy_check_can_classify()
        # many2many values are written here, columns by _write_multi below
        if "privacy_authorized_user_ids" in vals and (
            self._privacy_changes_restriction([vals] * len(self))
        ):
            self._privacy_forget_restrictions()
        return super().write(vals)

    def _write_multi(self, vals_list):
        # every column write goes through here (flush), computed
        # privacy_restricted included; forgotten before the UPDATE, as
        # nothing in this thread reads the memo again until it is done
        if self._privacy_changes_restriction(vals_list):
            self._privacy_forget_restrictions()
        return super()._write_multi(vals_list)

    def _privacy_assign_codes(self, vals_list):
        """<industry code>-<registration year>-<serial>: the serial comes from
        a PostgreSQL sequence (nextval is atomic and never rolled back), so
        concurrent creations never collide and a code is never handed out
        twice, even when its customer is deleted."""
        industries = self.env["res.partner.industry"].browse(
            {v["industry_id"] for v in vals_list if v.get("industry_id")}
        )
        prefix = {i.id: i.privacy_code for i in industries.sudo()}
        year = fields.Date.context_today(self).year
        # sudo: collectors may create customers without any right on sequences.
        sequence = self.env["ir.sequence"].sudo()
        for vals in vals_list:
            if vals.get("privacy_code") and self.env.su:
                continue
            code = prefix.get(vals.get("industry_id")) or DEFAULT_INDUSTRY_CODE
            serial = sequence.next_by_code("privacy.customer.code")
            vals["privacy_code"] = f"{code}-{year}-{serial}"

    # ------------------------------------------------------- field protection
    @api.model
    def _privacy_derived_fields(self):
        address = ("street", "street2", "zip")
        derived = {
            "email_formatted": "email",
            "email_normalized": "email",
            "contact_address": address,
            "contact_address_inline": address,
            # the first valid number of mobile and phone
            "phone_sanitized": ("mobile", "phone"),
        }
        return {k: v for k, v in derived.items() if k in self._fields}

    @api.depends_context("show_email", "show_vat", "show_address", "uid")
    def _compute_display_name(self):
        super()._compute_display_name()
        asked = [
            fname
            for key, fname in (("show_email", "email"), ("show_vat", "vat"))
            if self.env.context.get(key)
        ]
        if self.env.context.get("show_address"):
            asked.append("contact_address")
        # a display name goes to a client even when computed in sudo (the
        # labels of many2one fields): it is judged for the request's user
        partners = self._privacy_as_real_user()
        if not asked or partners is None:
            return
        masked = partners._privacy_masked_ids(asked)
        for partner in self:
            name = partner.display_name
            for fname in asked:
                if partner.id not in masked.get(fname, ()):
                    continue
                if fname == "contact_address":
                    address = partner._display_address(without_company=True)
                    values = [
                        address,
                        ", ".join(a for a in address.split("\n") if a.strip()),
                    ]
                else:
                    values = [partner[fname]]
                for value in filter(None, values):
                    name = name.replace(
                        value, partners._privacy_mask_value(fname, value)
                    )
            partner.display_name = name

    @api.model
    def _get_mention_suggestions_domain(self, search):
        """@-mentions search names and e-mails: users who may not search
        e-mails partially search names only."""
        domain = super()._get_mention_suggestions_domain(search)
        policy = self._privacy_search_policy("email")
        if not policy or policy.allow_partial_search:
            return domain
        return [
            expression.FALSE_LEAF
            if isinstance(term, (list, tuple)) and term[0] == "email"
            else term
            for term in domain
        ]

    @api.private
    @api.onchange("parent_id")
    def onchange_parent_id(self):
        # public in Odoo, it returns the parent's address as a plain dict:
        # only the onchange machinery (which masks its output) calls it
        return super().onchange_parent_id()

    def _build_vcard(self):
        """A vCard holds what the user may see: masked values otherwise."""
        partner = self._privacy_as_real_user()
        if partner is not None:
            fnames = ["email", "phone", "mobile", "street", "zip"]
            [shown] = partner._read_format(fnames)
            values = {f: shown[f] for f in fnames if shown[f] != self[f]}
            if values:
                return super(ResPartner, self.new(values, origin=self))._build_vcard()
        return super()._build_vcard()

    # ------------------------------------------------------------------ access
    @api.model
    def _privacy_user_can_classify(self):
        # the data administrator flag of the memoized groups
        return self.env.su or self._privacy_user_groups()[0]

    def _privacy_check_can_classify(self):
        if not self._privacy_user_can_classify():
            raise AccessError(
                self.env._(
                    "Only a Customer Privacy data administrator can change a "
                    "customer's classification; other changes go through a "
                    "classification change request."
                )
            )
