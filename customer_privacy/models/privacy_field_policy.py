# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The field policy registry (SPEC §5): which field of which model is
protected, how it is masked and who sees it clear.

Policies are read on every protected read, so they are served from an
ormcache keyed by model name; any change to a policy clears that cache in
every worker, so a new policy takes effect at once, with no code and no
restart.

The read and search hooks of base.py are set on the classes of the models
that show a protected value, when the registry is loaded. A change that
protects a model that was not protected before sets them at once in this
worker and has the other workers reload their registry, as Odoo does for a
new custom field (and ``base_automation`` for a new rule): models without a
policy run Odoo's own read and search code."""

from collections import namedtuple

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from ..tools.masking import MASKERS
from .base import _cached_call, install_read_hooks
from .privacy_masked_form import STORED_MASK_FIELDS


class LookupMemo(dict):
    """A dict that can be weakly referenced (base.py's ``_memo``)."""


MASK_FORMATS = [
    ("phone", "Phone number"),
    ("email", "E-mail address"),
    ("address", "Address"),
    ("name", "Person name"),
    ("resident_id", "Resident ID number"),
    ("bank_card", "Bank card number"),
    ("generic", "First and last character"),
    ("full", "Fully hidden"),
]

# What the hot path needs of a policy, detached from the ORM.
Policy = namedtuple(
    "Policy",
    "field sensitivity mask_format clear_group_ids reveal_group_ids "
    "allow_partial_search only_individuals encrypted",
)


class PrivacyFieldPolicy(models.Model):
    _name = "privacy.field.policy"
    _description = "Field Protection Policy"
    _order = "model_name, sequence, field_name"

    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    model_id = fields.Many2one(
        "ir.model", string="Model", required=True, ondelete="cascade", index=True
    )
    model_name = fields.Char(
        string="Model Name", related="model_id.model", store=True, index=True
    )
    field_id = fields.Many2one(
        "ir.model.fields",
        string="Field",
        required=True,
        ondelete="cascade",
        domain="[('model_id', '=', model_id), ('ttype', 'in', ('char', 'text'))]",
    )
    field_name = fields.Char(string="Field Name", related="field_id.name", store=True)
    sensitivity = fields.Selection(
        [("low", "Low"), ("medium", "Medium"), ("high", "High")],
        required=True,
        default="medium",
    )
    mask_format = fields.Selection(
        MASK_FORMATS, string="Masking", required=True, default="generic"
    )
    encrypted = fields.Boolean(
        readonly=True,
        help="Stored only as ciphertext, a masked form and a blind index. Set by "
        "the fields that are built encrypted (identity document, bank card).",
    )
    clear_group_ids = fields.Many2many(
        "res.groups",
        "privacy_field_policy_clear_group_rel",
        "policy_id",
        "group_id",
        string="See Clear",
        help="Members see this field in clear; everyone else sees it masked "
        "unless a reveal or an approved request grants them access. Data "
        "administrators always see it clear.",
    )
    reveal_group_ids = fields.Many2many(
        "res.groups",
        "privacy_field_policy_reveal_group_rel",
        "policy_id",
        "group_id",
        string="May Reveal",
        help="Members may reveal this field on one customer for a limited time, "
        "giving a reason. High-sensitivity fields are only opened by approved "
        "usage requests.",
    )
    allow_partial_search = fields.Boolean(
        help="Allow 'contains' and prefix searches on this field to users who "
        "see it masked. Off by default: partial search would let them guess "
        "the value character by character."
    )
    only_individuals = fields.Boolean(
        string="Individuals Only",
        help="Protect the field only on individuals, not on companies (e.g. the "
        "tax ID of a company is public).",
    )

    _sql_constraints = [
        (
            "field_unique",
            "unique(field_id)",
            "A field has one protection policy.",
        ),
    ]

    @api.depends("field_id")
    def _compute_display_name(self):
        for policy in self:
            # sudo: the field's label is shown to users who cannot read ir.model.fields
            field = policy.sudo().field_id
            policy.display_name = (
                f"{field.field_description} ({field.model})" if field else ""
            )

    @api.constrains("model_id", "field_id", "sensitivity", "reveal_group_ids")
    def _check_policy(self):
        for policy in self:
            if policy.field_id.model_id != policy.model_id:
                raise ValidationError(
                    self.env._(
                        "Field %(field)s does not belong to model %(model)s.",
                        field=policy.field_id.name,
                        model=policy.model_id.model,
                    )
                )
            if policy.field_id.ttype not in ("char", "text"):
                raise ValidationError(
                    self.env._(
                        "Only text fields can be masked; %(field)s is a %(type)s "
                        "field.",
                        field=policy.field_id.name,
                        type=policy.field_id.ttype,
                    )
                )
            if policy.sensitivity == "high" and policy.reveal_group_ids:
                raise ValidationError(
                    self.env._(
                        "High-sensitivity fields are opened only by approved usage "
                        "requests, never by a reveal: clear 'May Reveal' on %(field)s.",
                        field=policy.field_id.name,
                    )
                )

    # ------------------------------------------------------------------ cache
    @api.model_create_multi
    def create(self, vals_list):
        before = self._protected_model_names()
        policies = super().create(vals_list)
        self._policies_changed(before)
        if policies._protect_stored_forms():
            self._refresh_masked_forms()
        return policies

    def write(self, vals):
        changed = vals.keys() & {"active", "model_id", "field_id", "mask_format"}
        # before and after: a policy may leave a stored field or reach one
        remake = bool(changed) and self._protect_stored_forms()
        before = self._protected_model_names()
        res = super().write(vals)
        self._policies_changed(before)
        if changed and (remake or self._protect_stored_forms()):
            self._refresh_masked_forms()
        return res

    def unlink(self):
        remake = self._protect_stored_forms()
        res = super().unlink()
        # the models it leaves keep their hooks until the registry reloads
        self._forget_policies()
        if remake:
            self._refresh_masked_forms()
        return res

    @api.model
    def _forget_policies(self):
        """Clear the cached policies in every worker, again once committed: a
        concurrent request of this process may cache them as they were
        before this transaction in between."""
        registry = self.env.registry
        registry.clear_cache()
        self.env.cr.postcommit.add(registry.clear_cache)

    @api.model
    def _policies_changed(self, before):
        """After a change of policies: ``before``, the protected models as
        they were."""
        self._forget_policies()
        after = self._install_read_hooks()
        registry = self.env.registry
        if after - before and registry.ready:
            # A model is newly protected: every other worker hooks it when it
            # reloads its registry, at the start of its next request (as for
            # a new custom field). Judged on the policies, not on this
            # worker's classes: a model may still have the hooks here from a
            # policy since switched off, and not in a worker loaded since.
            registry.registry_invalidated = True

    def _register_hook(self):
        super()._register_hook()
        self._install_read_hooks()

    @api.model
    def _protected_model_names(self):
        """The models that show a protected value: their own, or another
        model's through a related field."""
        # the same test as the hooks' own: _privacy_model_policies
        return {
            name
            for name in list(self.env.registry)
            if self.env[name]._privacy_model_policies()
        }

    @api.model
    def _install_read_hooks(self):
        """Set base.py's read and search hooks on the models that show a
        protected value; returns their names."""
        names = self._protected_model_names()
        for name in names:
            install_read_hooks(self.env.registry[name])
        return names

    def _protect_stored_forms(self):
        """Whether one of ``self`` protects a field whose masked form
        customers store (privacy_masked_form.py)."""
        return any(
            policy.model_name == "res.partner"
            and policy.field_name in STORED_MASK_FIELDS
            for policy in self.sudo().with_context(active_test=False)
        )

    @api.model
    def _refresh_masked_forms(self):
        """Have the customers' stored masked forms remade soon: until then,
        forms made with another format are not used and values are masked at
        read time."""
        cron = self.env.ref(
            "customer_privacy.cron_refresh_masked_forms", raise_if_not_found=False
        )
        if cron:
            # sudo: the data administrator edits policies, not jobs
            cron.sudo()._trigger()

    @api.model
    @tools.ormcache()
    def _protected_models(self):
        # sudo: the registry is configuration, read on behalf of every user;
        # a policy created in this transaction counts at once
        self.flush_model(["model_name", "active"])
        self.env.cr.execute(
            "SELECT DISTINCT model_name FROM privacy_field_policy WHERE active"
        )
        return frozenset(row[0] for row in self.env.cr.fetchall())

    @api.model
    @tools.ormcache("model_name")
    def _policies_cached(self, model_name):
        # explicit context: the cached value must not depend on the caller's
        policies = (
            self.sudo()
            .with_context(active_test=True)
            .search([("model_name", "=", model_name)])
        )
        return {
            p.field_name: Policy(
                field=p.field_name,
                sensitivity=p.sensitivity,
                mask_format=p.mask_format if p.mask_format in MASKERS else "generic",
                clear_group_ids=frozenset(p.clear_group_ids.ids),
                reveal_group_ids=frozenset(p.reveal_group_ids.ids),
                allow_partial_search=p.allow_partial_search,
                only_individuals=p.only_individuals,
                encrypted=p.encrypted,
            )
            for p in policies
            if p.field_name in self.env[model_name]._fields
        }

    @api.model
    @tools.ormcache()
    def _memo_holder(self):
        """The lookups memo of base.py (``_memo``), held by this cache."""
        return LookupMemo()

    @api.model
    def _get_policies(self, model_name):
        """{field name: Policy} of the active policies of ``model_name``."""
        # through the caches without their decorators' signature binding:
        # the reveal button's field asks this on every form
        cls = type(self)
        if model_name not in _cached_call(cls._protected_models, self):
            return {}
        return _cached_call(cls._policies_cached, self, model_name)
