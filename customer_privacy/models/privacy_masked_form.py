# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Masked forms of a customer's protected contact fields (SPEC §5), kept in
a table of their own.

Masking is pure Python, a few microseconds a value: an export of 10,000
customers would spend more time masking than exporting. So each customer has
one row here holding, for each protected contact field, its masked form and
a hash of the format and clear value it was made from, remade when the
field is written. Kept beside ``res_partner``, not in it: columns there
would make every scan of customers (a list's count) read a wider table.

A stored form is used only when it was made from the very value being shown
with the field's current format: the query that reads the forms compares
their hashes with PostgreSQL's ``hashtext`` of the current format and value,
and returns the forms that match, in the same query that reads whether each
customer is a company. Anything else - a policy added or changed since, a
value written in SQL, a customer without a row - is masked at read time. A
hash with its mask (``139****5678``) would give the hidden digits back by
brute force, so no group has any access right on this model: only the
masking code reads it, in SQL, for a list or an export."""

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.sql import int_array

# the contact fields protected by the default policies
STORED_MASK_FIELDS = (
    "name",
    "email",
    "phone",
    "mobile",
    "street",
    "street2",
    "zip",
    "vat",
)
# joins a format and a value in the hashed text (no format holds it)
HASH_SEPARATOR = "\x1f"


class PrivacyMaskedForm(models.Model):
    _name = "privacy.masked.form"
    _description = "Masked Forms of a Customer"
    _log_access = False
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        ondelete="cascade",
        readonly=True,
    )
    # for each field of STORED_MASK_FIELDS: its masked form, and the
    # ``hashtext`` of "format + HASH_SEPARATOR + clear value" it was made from
    name_masked = fields.Char(compute="_compute_forms", store=True)
    name_hash = fields.Integer(compute="_compute_forms", store=True)
    email_masked = fields.Char(compute="_compute_forms", store=True)
    email_hash = fields.Integer(compute="_compute_forms", store=True)
    phone_masked = fields.Char(compute="_compute_forms", store=True)
    phone_hash = fields.Integer(compute="_compute_forms", store=True)
    mobile_masked = fields.Char(compute="_compute_forms", store=True)
    mobile_hash = fields.Integer(compute="_compute_forms", store=True)
    street_masked = fields.Char(compute="_compute_forms", store=True)
    street_hash = fields.Integer(compute="_compute_forms", store=True)
    street2_masked = fields.Char(compute="_compute_forms", store=True)
    street2_hash = fields.Integer(compute="_compute_forms", store=True)
    zip_masked = fields.Char(compute="_compute_forms", store=True)
    zip_hash = fields.Integer(compute="_compute_forms", store=True)
    vat_masked = fields.Char(compute="_compute_forms", store=True)
    vat_hash = fields.Integer(compute="_compute_forms", store=True)

    _sql_constraints = [
        ("partner_unique", "unique(partner_id)", "A customer has one row of forms."),
    ]

    @api.model
    def _hash_texts(self, texts):
        """PostgreSQL's ``hashtext`` of each text: the read compares it in
        SQL, without sending the values back to Python."""
        if not texts:
            return []
        self.env.cr.execute(
            "SELECT hashtext(t) FROM unnest(%s::text[]) WITH ORDINALITY AS u(t, n)"
            " ORDER BY n",
            [texts],
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.depends(*(f"partner_id.{fname}" for fname in STORED_MASK_FIELDS))
    def _compute_forms(self):
        for row, vals in zip(
            self, self._make_forms([row.partner_id for row in self]), strict=True
        ):
            for name, value in vals.items():
                row[name] = value

    @api.model
    def _make_forms(self, partners):
        """The column values of the forms of each of ``partners``, in order,
        made with the model's policies whoever asks (superuser included)."""
        Partner = self.env["res.partner"]
        policies = Partner._privacy_model_policies()
        formats = {
            fname: policies[fname].mask_format
            for fname in STORED_MASK_FIELDS
            if fname in policies
        }
        rows, texts = [], []
        for partner in partners:
            vals = {}
            for fname in STORED_MASK_FIELDS:
                value, fmt = partner[fname], formats.get(fname)
                if fmt and value and isinstance(value, str):
                    vals[f"{fname}_masked"] = Partner._privacy_apply_mask(fmt, value)
                    vals[f"{fname}_hash"] = len(texts)  # replaced below
                    texts.append(fmt + HASH_SEPARATOR + value)
                else:
                    vals[f"{fname}_masked"] = vals[f"{fname}_hash"] = False
            rows.append(vals)
        hashes = self._hash_texts(texts)
        for vals in rows:
            for fname in STORED_MASK_FIELDS:
                if vals[f"{fname}_masked"]:
                    vals[f"{fname}_hash"] = hashes[vals[f"{fname}_hash"]]
        return rows

    @api.model
    def _read_current(self, partner_ids, formats):
        """One query over ``partner_ids``: ``(ids, is_company flags, {field:
        {id: masked form or None}})``, where ``formats`` is ``[(field,
        current format)]`` of fields in STORED_MASK_FIELDS and a form is
        returned only when its hash matches the current format and value."""
        columns = [
            SQL(
                "CASE WHEN f.%s = hashtext(%s || p.%s) THEN f.%s END",
                SQL.identifier(f"{fname}_hash"),
                fmt + HASH_SEPARATOR,
                SQL.identifier(fname),
                SQL.identifier(f"{fname}_masked"),
            )
            for fname, fmt in formats
        ]
        self.env.cr.execute(
            SQL(
                """SELECT p.id, %s
                     FROM res_partner p
                LEFT JOIN privacy_masked_form f ON f.partner_id = p.id
                    WHERE p.id = ANY(%s)""",
                SQL(", ").join([SQL("p.is_company"), *columns]),
                int_array(partner_ids),
            )
        )
        rows = self.env.cr.fetchall()
        if not rows:
            return (), (), {}
        # columns, transposed in C: an export reads 10,000 rows
        ids, flags, *forms = zip(*rows, strict=True)
        return (
            ids,
            flags,
            {
                fname: dict(zip(ids, col, strict=True))
                for (fname, _fmt), col in zip(formats, forms, strict=True)
            },
        )
