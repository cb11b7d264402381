# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Masking at every door through which a value leaves the server (SPEC §5).

Business logic keeps reading real values (``record.email``); only the output
paths are filtered, for users who are not cleared:

- ``_read_format``: read, search_read, web_read, web_search_read, and the
  values returned by onchange (which go through web_read);
- ``_export_rows``: export_data and the export dialog;
- ``read_group``: group labels and the group domains (web_read_group);
- ``_search_display_name`` / ``_condition_to_sql``: no partial search on a
  protected field (the search oracle), exact search still works;
- ``create`` / ``write``: a masked value sent back never overwrites the real one.

Each hook starts with one frozenset lookup, so models without a policy pay
(almost) nothing."""

import re

from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.models import NewId
from odoo.osv import expression
from odoo.tools import SQL

from ..tools import masking
from ..tools.validation import normalize_phone, phone_digit_variants

PARTIAL_OPERATORS = {"like", "ilike", "not like", "not ilike", "=like", "=ilike"}
WILDCARD = re.compile(r"[%_]")
LEVEL_RANK = {"low": 0, "medium": 1, "high": 2}
DATA_ADMIN = "customer_privacy.group_privacy_data_admin"
USER_GROUP = "customer_privacy.group_privacy_user"


class Base(models.AbstractModel):
    _inherit = "base"

    # ----------------------------------------------------------- clearance
    def _privacy_policies(self):
        if self.env.su:
            return {}
        registry = self.env.registry
        if "privacy.field.policy" not in registry or not registry.loaded:
            return {}
        return self.env["privacy.field.policy"]._get_policies(self._name)

    @api.model
    def _privacy_derived_fields(self):
        """{computed copy: protected source field} masked with their source
        (e.g. email_formatted follows email)."""
        return {}

    @api.model
    def _privacy_partner_field(self):
        """Field linking a record to the customer whose grants apply to it."""
        return "partner_id" if "partner_id" in self._fields else None

    @api.model
    def _privacy_user_cleared(self, policy):
        """Whether the current user sees ``policy``'s field clear everywhere,
        by role (not by a per-customer grant)."""
        user = self.env.user
        if self.env.su or user.has_group(DATA_ADMIN):
            return True
        return bool(policy.clear_group_ids.intersection(user.groups_id.ids))

    def _privacy_masked_ids(self, fnames):
        """{field name: set of record ids (or NewIds) to mask} for the current
        user, for the protected fields among ``fnames`` and their copies."""
        policies = self._privacy_policies()
        if not policies:
            return {}
        derived = self._privacy_derived_fields()
        wanted = {}
        for fname in fnames:
            source = derived.get(fname, fname)
            policy = policies.get(source)
            if policy and not self._privacy_user_cleared(policy):
                wanted[fname] = policy
        if not wanted:
            return {}
        masked = {fname: set() for fname in wanted}
        records = [r for r in self if r.id]
        grants = self._privacy_grants_by_record(records)
        individuals = self._privacy_individual_ids(records)
        for record in records:
            rid = record.id
            real_id = rid.origin if isinstance(rid, NewId) else rid
            for fname, policy in wanted.items():
                if policy.only_individuals and real_id not in individuals:
                    continue
                if real_id and self._privacy_grant_covers(
                    grants.get(real_id, ()), derived.get(fname, fname), policy
                ):
                    continue
                masked[fname].add(rid)
        return masked

    def _privacy_individual_ids(self, records):
        if "is_company" not in self._fields:
            return {r.id for r in records}
        return {
            (r.id.origin if isinstance(r.id, NewId) else r.id)
            for r in records
            if not r.is_company
        }

    def _privacy_grants_by_record(self, records):
        link = self._privacy_partner_field() if self._name != "res.partner" else "id"
        if not link:
            return {}
        by_partner = {}
        for record in records:
            rid = record.id.origin if isinstance(record.id, NewId) else record.id
            if not rid:
                continue
            partner_id = rid if link == "id" else record[link].id
            if partner_id:
                by_partner.setdefault(partner_id, []).append(rid)
        if not by_partner:
            return {}
        # sudo: users may not read grants, but theirs decide what they see
        grants = (
            self.env["privacy.access.grant"]
            .sudo()
            ._live_grants(self.env.uid, list(by_partner))
        )
        return {
            rid: grants[pid]
            for pid, rids in by_partner.items()
            if pid in grants
            for rid in rids
        }

    @staticmethod
    def _privacy_grant_covers(grants, fname, policy):
        for fnames, level in grants:
            if fnames is not None:
                if fname in fnames:
                    return True
            elif LEVEL_RANK[level] >= LEVEL_RANK[policy.sensitivity]:
                return True
        return False

    def _privacy_mask_value(self, fname, value):
        policies = self._privacy_policies()
        source = self._privacy_derived_fields().get(fname, fname)
        policy = policies.get(source)
        if not value or not isinstance(value, str) or not policy:
            return value
        if fname == "email_formatted":
            name, _sep, rest = value.rpartition("<")
            email = rest.rstrip(">")
            return (
                f"{name}<{masking.mask('email', email)}>"
                if name
                else masking.mask("email", email)
            )
        fmt = "address" if fname.startswith("contact_address") else policy.mask_format
        return masking.mask(fmt, value)

    @api.model
    def _privacy_notify_access(self, action, records, fnames, **info):
        """The point where an access to protected data happens. Does nothing
        here; ``customer_privacy_audit`` records it in the access log."""

    # --------------------------------------------------------- read paths
    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        masked = self._privacy_masked_ids(fnames)
        if masked:
            user_values = self.env.context.get("privacy_onchange_values") or {}
            for vals in result:
                for fname, ids in masked.items():
                    if vals["id"] in ids and fname in vals:
                        if self._privacy_is_user_input(fname, vals[fname], user_values):
                            continue
                        vals[fname] = self._privacy_mask_value(fname, vals[fname])
        return result

    def _privacy_is_user_input(self, fname, value, user_values):
        """In an onchange, the value the user just typed comes back to them
        (perhaps reformatted); anything else - a stored value, a value copied
        from another record - stays masked."""
        if fname not in user_values or not value:
            return False
        sent = user_values[fname]
        if sent == value:
            return True
        policy = self._privacy_policies().get(fname)
        if policy and policy.mask_format == "phone" and isinstance(sent, str):
            return bool(normalize_phone(sent)) and normalize_phone(
                sent
            ) == normalize_phone(value)
        return False

    def onchange(self, values, field_names, fields_spec):
        if self._privacy_policies():
            self = self.with_context(privacy_onchange_values=values)
        return super().onchange(values, field_names, fields_spec)

    def _export_rows(self, fields, *, _is_toplevel_call=True):
        policies = self._privacy_policies()
        if not policies:
            return super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)
        derived = self._privacy_derived_fields()
        columns = {
            i: path[0]
            for i, path in enumerate(fields)
            if len(path) == 1 and derived.get(path[0], path[0]) in policies
        }
        if not columns:
            return super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)
        if _is_toplevel_call:
            self._privacy_check_export(columns.values(), policies)
        masked = self._privacy_masked_ids(set(columns.values()))
        # An extra '.id' column tells which output line is which record's main
        # line (sub-lines of one2many values leave it empty).
        lines = super()._export_rows(
            [*fields, [".id"]], _is_toplevel_call=_is_toplevel_call
        )
        for line in lines:
            rid = line.pop()
            if not rid:
                continue
            rid = int(rid)
            for i, fname in columns.items():
                if rid in masked.get(fname, ()):
                    line[i] = self._privacy_mask_value(fname, line[i])
        return lines

    def _privacy_check_export(self, fnames, policies):
        """Collectors cannot export medium or high fields, even masked
        (SPEC §3: 录入-提交 only)."""
        user = self.env.user
        if user.has_group(USER_GROUP) or user.has_group(DATA_ADMIN):
            return
        derived = self._privacy_derived_fields()
        blocked = sorted(
            f
            for f in fnames
            if policies[derived.get(f, f)].sensitivity in ("medium", "high")
        )
        if blocked:
            raise AccessError(
                self.env._(
                    "Your role may not export protected customer data (%(fields)s).",
                    fields=", ".join(self._fields[f].string for f in blocked),
                )
            )

    @api.model
    def read_group(
        self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True
    ):
        result = super().read_group(
            domain,
            fields,
            groupby,
            offset=offset,
            limit=limit,
            orderby=orderby,
            lazy=lazy,
        )
        policies = self._privacy_policies()
        if not policies or not result:
            return result
        groupbys = [groupby] if isinstance(groupby, str) else list(groupby or [])
        active = groupbys[:1] if lazy else groupbys
        protected = [
            g
            for g in active
            if g in policies and not self._privacy_user_cleared(policies[g])
        ]
        for gb in protected:
            # The group domain would carry the clear value back to the
            # client: replace that term by the ids of the group's records.
            ids_by_value = dict(self._read_group(domain, [gb], ["id:array_agg"]))
            for group in result:
                value = group.get(gb)
                if value:
                    group[gb] = masking.mask(policies[gb].mask_format, value)
                if "__domain" in group:
                    group["__domain"] = [
                        ("id", "in", ids_by_value.get(value or False, []))
                        if isinstance(term, (list, tuple)) and term[0] == gb
                        else term
                        for term in group["__domain"]
                    ]
        return result

    # -------------------------------------------------------------- search
    @api.model
    def _search_display_name(self, operator, value):
        policies = self._privacy_policies()
        names = self._rec_names_search
        if not policies or not names or operator not in PARTIAL_OPERATORS:
            return super()._search_display_name(operator, value)
        allowed = [
            fname
            for fname in names
            if fname.split(".")[0] not in policies
            or policies[fname.split(".")[0]].allow_partial_search
            or self._privacy_user_cleared(policies[fname.split(".")[0]])
        ]
        if len(allowed) == len(names):
            return super()._search_display_name(operator, value)
        if not allowed:
            return expression.FALSE_DOMAIN
        aggregator = (
            expression.AND
            if operator in expression.NEGATIVE_TERM_OPERATORS
            else expression.OR
        )
        return aggregator([[(fname, operator, value)] for fname in allowed])

    def _privacy_search_policy(self, fname):
        """The policy limiting the current user's searches on ``fname`` (or on
        the protected field it copies), if any."""
        policies = self._privacy_policies()
        if not policies:
            return None
        policy = policies.get(self._privacy_derived_fields().get(fname, fname))
        if policy and not self._privacy_user_cleared(policy):
            return policy
        return None

    def _privacy_check_search(self, fname, operator, value):
        """Refuse partial search on a protected field: it would let a user
        guess the value one character at a time. Exact search stays open."""
        policy = self._privacy_search_policy(fname)
        if (
            policy
            and operator in PARTIAL_OPERATORS
            and not policy.allow_partial_search
            and not (
                operator in ("=like", "=ilike")
                and isinstance(value, str)
                and not WILDCARD.search(value)
            )
        ):
            raise UserError(
                self.env._(
                    "You may only search %(field)s by its exact value: it is "
                    "protected personal data.",
                    field=self._fields[fname].string,
                )
            )
        return policy

    def _condition_to_sql(self, alias, fname, operator, value, query):
        policy = self._privacy_check_search(fname, operator, value)
        if policy and operator == "=" and policy.mask_format == "phone" and value:
            return self._privacy_phone_condition(alias, fname, value, query)
        return super()._condition_to_sql(alias, fname, operator, value, query)

    def _privacy_phone_condition(self, alias, fname, value, query):
        """Exact phone search compares numbers, not their formatting: the
        stored digits must be the E.164 or the national digits of ``value``."""
        variants = phone_digit_variants(value)
        if not variants:
            return super()._condition_to_sql(alias, fname, "=", value, query)
        return SQL(
            "regexp_replace(COALESCE(%s, ''), '[^0-9]', '', 'g') = ANY(%s)",
            self._field_to_sql(alias, fname, query),
            list(variants),
        )

    # ---------------------------------------------------------- write-back
    @api.model_create_multi
    def create(self, vals_list):
        policies = self._privacy_policies()
        if policies:
            for vals in vals_list:
                for fname in list(vals):
                    policy = policies.get(fname)
                    if (
                        policy
                        and isinstance(vals[fname], str)
                        and masking.looks_masked(vals[fname])
                        and not self._privacy_user_cleared(policy)
                    ):
                        # a masked value copied from elsewhere is not data
                        del vals[fname]
        return super().create(vals_list)

    def write(self, vals):
        policies = self._privacy_policies()
        if policies and any(f in policies for f in vals):
            unchanged = self._privacy_masked_writebacks(vals, policies)
            if unchanged:
                return self._privacy_write_skipping(vals, unchanged)
        return super().write(vals)

    def _privacy_masked_writebacks(self, vals, policies):
        """{field: records} where ``vals`` holds exactly the masked form of
        the current value: writing it back would destroy the real value."""
        fnames = [
            f
            for f in vals
            if f in policies
            and isinstance(vals[f], str)
            and masking.looks_masked(vals[f])
        ]
        if not fnames:
            return {}
        masked = self._privacy_masked_ids(fnames)
        unchanged = {}
        for fname in fnames:
            ids = masked.get(fname, set())
            hits = self.filtered(
                lambda r, f=fname, ids=ids: r.id in ids
                and self._privacy_mask_value(f, r[f]) == vals[f]
            )
            if hits:
                unchanged[fname] = hits
        return unchanged

    def _privacy_write_skipping(self, vals, unchanged):
        groups = {}
        for record in self:
            skip = frozenset(f for f, recs in unchanged.items() if record in recs)
            groups.setdefault(skip, self.browse())
            groups[skip] |= record
        for skip, records in groups.items():
            sub_vals = {k: v for k, v in vals.items() if k not in skip}
            if sub_vals:
                super(Base, records).write(sub_vals)
        return True
