# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Masked forms of a customer's protected contact fields (SPEC §5), kept in
a table of their own.

Masking is pure Python, a few microseconds a value: an export of 10,000
customers would spend more time masking than exporting. So each customer has
one row here holding, for each protected contact field, its masked form, the
format it was made with and a hash of the clear value it was made from,
remade when the field is written. Kept beside ``res_partner``, not in it:
columns there would make every scan of customers (a list's count) read a
wider table.

A stored form is always made from the current value: the ORM remakes it when
the value is written, and a trigger on ``res_partner`` drops it when a value
changes behind the ORM (in SQL) and the hash no longer matches. So the query
reading the forms reads this table alone, and keeps a form only when its
format is the field's current one. Anything else - a policy added or changed
since, a dropped form, a customer without a row - is masked at read time,
until :meth:`res.partner._privacy_refresh_masked_values` remakes them. A
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
# drops the forms of values changed behind the ORM (init, uninstall_hook)
TRIGGER = "privacy_masked_form_outdated"


class PrivacyMaskedForm(models.Model):
    _name = "privacy.masked.form"
    _inherit = "privacy.customer.row"
    _description = "Masked Forms of a Customer"
    _log_access = False

    # for each field of STORED_MASK_FIELDS: its masked form, the format it
    # was made with and the ``hashtext`` of the clear value it was made from
    name_masked = fields.Char(compute="_compute_forms", store=True)
    name_hash = fields.Integer(compute="_compute_forms", store=True)
    name_format = fields.Char(compute="_compute_forms", store=True)
    email_masked = fields.Char(compute="_compute_forms", store=True)
    email_hash = fields.Integer(compute="_compute_forms", store=True)
    email_format = fields.Char(compute="_compute_forms", store=True)
    phone_masked = fields.Char(compute="_compute_forms", store=True)
    phone_hash = fields.Integer(compute="_compute_forms", store=True)
    phone_format = fields.Char(compute="_compute_forms", store=True)
    mobile_masked = fields.Char(compute="_compute_forms", store=True)
    mobile_hash = fields.Integer(compute="_compute_forms", store=True)
    mobile_format = fields.Char(compute="_compute_forms", store=True)
    street_masked = fields.Char(compute="_compute_forms", store=True)
    street_hash = fields.Integer(compute="_compute_forms", store=True)
    street_format = fields.Char(compute="_compute_forms", store=True)
    street2_masked = fields.Char(compute="_compute_forms", store=True)
    street2_hash = fields.Integer(compute="_compute_forms", store=True)
    street2_format = fields.Char(compute="_compute_forms", store=True)
    zip_masked = fields.Char(compute="_compute_forms", store=True)
    zip_hash = fields.Integer(compute="_compute_forms", store=True)
    zip_format = fields.Char(compute="_compute_forms", store=True)
    vat_masked = fields.Char(compute="_compute_forms", store=True)
    vat_hash = fields.Integer(compute="_compute_forms", store=True)
    vat_format = fields.Char(compute="_compute_forms", store=True)

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
                    vals[f"{fname}_format"] = fmt
                    vals[f"{fname}_hash"] = len(texts)  # replaced below
                    texts.append(value)
                else:
                    vals[f"{fname}_masked"] = vals[f"{fname}_format"] = False
                    vals[f"{fname}_hash"] = False
            rows.append(vals)
        hashes = self._hash_texts(texts)
        for vals in rows:
            for fname in STORED_MASK_FIELDS:
                if vals[f"{fname}_masked"]:
                    vals[f"{fname}_hash"] = hashes[vals[f"{fname}_hash"]]
        return rows

    @api.model
    def _read_current(self, partner_ids, formats):
        """One query over ``partner_ids``: ``{field: {id: masked form or
        None}}`` for the customers having a row, where ``formats`` is
        ``[(field, current format)]`` of fields in STORED_MASK_FIELDS. A form
        is returned only when it was made with the current format (the
        trigger has dropped the forms of changed values)."""
        columns = [
            SQL(
                "CASE WHEN %s = %s THEN %s END",
                SQL.identifier(f"{fname}_format"),
                fmt,
                SQL.identifier(f"{fname}_masked"),
            )
            for fname, fmt in formats
        ]
        self.env.cr.execute(
            SQL(
                "SELECT partner_id, %s FROM privacy_masked_form"
                " WHERE partner_id = ANY(%s)",
                SQL(", ").join(columns),
                int_array(partner_ids),
            )
        )
        rows = self.env.cr.fetchall()
        if not rows:
            return {}
        # columns, transposed in C: an export reads 10,000 rows
        ids, *forms = zip(*rows, strict=True)
        return {
            fname: dict(zip(ids, col, strict=True))
            for (fname, _fmt), col in zip(formats, forms, strict=True)
        }

    def init(self):
        """The trigger keeping the forms exact: when a customer's protected
        value changes and its form's hash no longer matches (a write in SQL;
        the ORM has already remade it), the form is dropped."""
        res = super().init()
        columns = [SQL.identifier(fname) for fname in STORED_MASK_FIELDS]
        drops, stale = [], []
        for fname, column in zip(STORED_MASK_FIELDS, columns, strict=True):
            masked = SQL.identifier(f"{fname}_masked")
            hashed = SQL(
                "%s = hashtext(NEW.%s)", SQL.identifier(f"{fname}_hash"), column
            )
            drops.append(SQL("%s = CASE WHEN %s THEN %s END", masked, hashed, masked))
            stale.append(
                SQL("(%s IS NOT NULL AND NOT COALESCE(%s, FALSE))", masked, hashed)
            )
        changed = SQL(" OR ").join(
            [
                SQL("OLD.%s IS DISTINCT FROM NEW.%s", column, column)
                for column in columns
            ]
        )
        self.env.cr.execute(
            SQL(
                """CREATE OR REPLACE FUNCTION %(function)s() RETURNS trigger
                   LANGUAGE plpgsql AS $$
                   BEGIN
                       UPDATE privacy_masked_form SET %(drops)s
                        WHERE partner_id = NEW.id AND (%(stale)s);
                       RETURN NULL;
                   END $$;
                   DROP TRIGGER IF EXISTS %(trigger)s ON res_partner;
                   CREATE TRIGGER %(trigger)s AFTER UPDATE OF %(columns)s ON res_partner
                      FOR EACH ROW WHEN (%(changed)s)
                      EXECUTE FUNCTION %(function)s()""",
                function=SQL.identifier(TRIGGER),
                trigger=SQL.identifier(TRIGGER),
                drops=SQL(", ").join(drops),
                stale=SQL(" OR ").join(stale),
                columns=SQL(", ").join(columns),
                changed=changed,
            )
        )
        return res

    @api.model
    def _drop_trigger(self):
        """Before the table goes (uninstallation): a trigger left on
        ``res_partner`` would make every write of a customer fail."""
        self.env.cr.execute(
            SQL(
                "DROP TRIGGER IF EXISTS %(name)s ON res_partner;"
                " DROP FUNCTION IF EXISTS %(name)s()",
                name=SQL.identifier(TRIGGER),
            )
        )
