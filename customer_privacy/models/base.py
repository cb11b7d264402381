# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Masking at every door through which a value leaves the server (SPEC §5).

Business logic keeps reading real values (``record.email``); only the output
paths are filtered, for users who are not cleared:

- ``_read_format``: read, search_read, web_read, web_search_read, and the
  values returned by onchange (which go through web_read), for saved and new
  records alike;
- ``_export_rows``: export_data and the export dialog, through relations too;
- ``read_group``: group labels, group domains (web_read_group) and aggregates;
- ``_search_display_name`` / ``_condition_to_sql`` / ``_order_field_to_sql``:
  no partial, range or sort-order search on a protected field (the search
  oracle), exact search still works (phones compared as numbers);
- ``create`` / ``write``: a masked value sent back never overwrites the real one.

Each access is also announced through ``_privacy_notify_access``, which
``customer_privacy_audit`` records.

The hooks that every read and search runs (``_read_format``,
``_condition_to_sql``, ``_order_field_to_sql``) are set on the classes of
the models that show a protected value only (``install_read_hooks``):
models without a policy run Odoo's own code for them. Each other hook
starts with one cached lookup of the model's policies (an empty dict for
most models).

Environments in superuser mode are business logic: they see and store real
values. Only ``_read_format``, whose output always goes to a client, masks in
sudo too, for the user of the request (the chatter reads partners in sudo)."""

import re
import weakref
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar

from odoo import SUPERUSER_ID, api, models, tools
from odoo.exceptions import AccessError, UserError
from odoo.models import NewId, regex_field_agg
from odoo.osv import expression
from odoo.tools import SQL

from ..tools import masking
from ..tools.validation import normalize_phone, phone_digit_variants

PARTIAL_OPERATORS = frozenset(
    {"like", "ilike", "not like", "not ilike", "=like", "=ilike"}
)
# comparing a protected value with bounds finds it by bisection
RANGE_OPERATORS = frozenset({"<", ">", "<=", ">="})
EXACT_LIKE_OPERATORS = frozenset({"=like", "=ilike"})
PHONE_EXACT_OPERATORS = frozenset({"=", "!=", "in", "not in"})
# aggregates that tell counts, never values
COUNT_AGGREGATES = frozenset({"count", "count_distinct"})
WILDCARD = re.compile(r"[%_]")
LEVEL_RANK = {"low": 0, "medium": 1, "high": 2}
DATA_ADMIN = "customer_privacy.group_privacy_data_admin"
USER_GROUP = "customer_privacy.group_privacy_user"
ONCHANGE_INPUT = "privacy_onchange_values"
# {(model, field, su): policies} while one batch of values is masked: resolving
# the policies once per field, not once per value
_MASK_POLICIES = ContextVar("customer_privacy_mask_policies", default=None)
# {model: policies} during one export: it calls _export_rows once per related
# record (the country of each of 10,000 customers)
_EXPORT_POLICIES = ContextVar("customer_privacy_export_policies", default=None)


def _cached_call(method, record, *args):
    """``record.method(*args)`` for an ``ormcache``-decorated ``method``,
    through its cache but without the decorator's signature binding, which
    costs more than the lookup itself on paths every read of every model
    takes (the cache, its keys and its invalidation are unchanged)."""
    cache = method.__cache__
    return cache.lookup(cache.method, record, *args)


class _MemoRef:
    """What the registry keeps of the memo: a weak reference, and the
    ormcache entry holding it. :func:`_current_memo` gives the memo only
    while that entry still holds it: a memo still referenced elsewhere (a
    frame kept by a traceback) must not outlive the clearing of the cache."""

    __slots__ = ("entries", "key", "ref")

    def __init__(self, memo, entries, key):
        self.ref = weakref.ref(memo)
        self.entries, self.key = entries, key


def _current_memo(registry):
    """The memo while its ormcache entry holds it, else None."""
    ref = getattr(registry, "_privacy_memo_ref", None)
    if ref is None:
        return None
    memo = ref.ref()
    return memo if memo is not None and ref.entries.get(ref.key) is memo else None


def _memo(record):
    """A dict that lives exactly as long as the registry's ormcache entry
    holding it: until a policy or a group changes, another worker signals a
    change, or a transaction rolls back its cache changes. The registry
    keeps a :class:`_MemoRef` to it, so reading it is an attribute and two
    dict accesses, not an ormcache lookup (a lock and a signature binding) -
    and reads of every model ask for policies several times. None before
    the registry is loaded."""
    registry = record.env.registry
    memo = _current_memo(registry)
    if memo is None:
        if not registry.loaded or "privacy.field.policy" not in registry:
            return None
        Policy = record.env["privacy.field.policy"]
        holder = type(Policy)._memo_holder
        memo = _cached_call(holder, Policy)
        # the ormcache's own dict and key (tools/cache.py: ormcache.lru)
        lru, key, _stats = holder.__cache__.lru(Policy)
        registry._privacy_memo_ref = _MemoRef(memo, lru.d, key)
    return memo


def _no_policies(record):
    """Whether the memo already knows that ``record``'s model has no policy
    (most models, whoever reads): the first test of the hooks every read and
    search of every model goes through, without a method call."""
    memo = _current_memo(record.env.registry)
    if memo is None:
        return False
    policies = memo.get(record._name)
    return policies is not None and not policies


def _memoized(record, key, compute):
    """``compute()``, kept in the memo under ``key`` while the memo lives
    (computed each time while the registry loads)."""
    memo = _memo(record)
    if memo is None:
        return compute()
    value = memo.get(key)
    if value is None:
        value = memo[key] = compute()
    return value


class OnchangeInput(dict):
    """The values a user sent to an onchange. Only ``onchange`` builds one; a
    context sent by a client is JSON and can never hold this type, so a read
    cannot pass itself off as the echo of the user's own input."""


class Visibility:
    """Who sees what of a set of records, for the protected fields read:

    - ``masked``: {field: ids shown masked};
    - ``granted``: {field: ids shown clear through an access grant};
    - ``role``: fields the user sees clear by role, on every record;
    - ``stored``: {field: {id: masked form}} stored for the masked fields."""

    __slots__ = ("granted", "masked", "role", "stored")

    def __init__(self, masked=None, granted=None, role=(), stored=None):
        self.masked = masked or {}
        self.granted = granted or {}
        self.role = set(role)
        self.stored = stored or {}

    def __bool__(self):
        return bool(self.masked or self.granted or self.role)


# ------------------------------------------------------ per-model hooks
# Odoo runs these three methods on every read and every search of every
# model. Overridden in Base, they would put the suite's frames on all of
# them; instead they are set on the registry classes of the models that show
# a protected value (``install_read_hooks``), so a model without a policy
# runs Odoo's own code. Each is the outermost method of its class: it sees
# what the whole chain of overrides returns, and calls that chain through
# ``origin``, the method the class had, resolved once (``super()`` from the
# top of a class would walk its whole MRO on every call).


def _hook_read_format(origin):
    def _read_format(self, fnames, load="_classic_read"):
        return self._privacy_read_format(origin(self, fnames, load=load), fnames)

    return _read_format


def _hook_to_sql(privacy_method):
    """A hook for ``_condition_to_sql`` or ``_order_field_to_sql`` (both
    called as ``(alias, field name, ...)``): ``privacy_method`` gives the SQL
    for a protected field, or None to leave it to Odoo."""

    def make(origin):
        def hook(self, alias, fname, *args, **kwargs):
            if fname in self._privacy_protected_names():
                sql = getattr(self, privacy_method)(alias, fname, *args, **kwargs)
                if sql is not None:
                    return sql
            return origin(self, alias, fname, *args, **kwargs)

        return hook

    return make


READ_HOOKS = {
    "_read_format": _hook_read_format,
    "_condition_to_sql": _hook_to_sql("_privacy_condition_to_sql"),
    "_order_field_to_sql": _hook_to_sql("_privacy_order_field_to_sql"),
}


def _inherited_method(cls, name):
    """The method ``name`` that ``cls`` inherits: what ``super(cls, ...)``
    finds, never a hook set on ``cls`` itself."""
    for base in cls.__mro__[1:]:
        if name in vars(base):
            return vars(base)[name]
    raise AttributeError(name)


def has_read_hooks(cls):
    """Whether the registry class ``cls`` has the read and search hooks."""
    return cls.__dict__.get("_privacy_read_hooks", False)


def install_read_hooks(cls):
    """Set the read and search hooks on ``cls``, a model's registry class;
    True if it had none. They stay until the registry is rebuilt, even when
    the model loses its policies: a request of another thread may still see
    the policy, and a hook on a model without policy only costs time. Each
    hook calls the method ``cls`` inherits, never one set on ``cls``:
    installing twice (two threads at once) never wraps a hook in another."""
    if has_read_hooks(cls):
        return False
    for name, make in READ_HOOKS.items():
        hook = make(_inherited_method(cls, name))
        hook.__name__, hook.__qualname__ = name, f"{cls.__name__}.{name}"
        setattr(cls, name, hook)
    cls._privacy_read_hooks = True
    return True


class Base(models.AbstractModel):
    _inherit = "base"

    # ----------------------------------------------------------- clearance
    def _privacy_policies(self):
        """{field name: Policy} protecting this model's fields for the
        current user: its own policies and those of the protected fields its
        related fields show (``mail.followers.email`` is a partner's email).
        Empty in superuser mode: business logic sees real values."""
        if self.env.su:
            return {}
        memo = _memo(self)
        if memo is None:
            return {}
        policies = memo.get(self._name)
        if policies is None:
            policies = _cached_call(type(self)._privacy_model_policies, self)
            memo[self._name] = policies
        return policies

    @api.model
    @tools.ormcache()
    def _privacy_model_policies(self):
        # cached per model; any change of a policy clears the registry cache
        Policy = self.env["privacy.field.policy"]
        policies = Policy._get_policies(self._name)
        related = {}
        for fname, field in self._fields.items():
            target = field.related_field
            # delegated fields (res.users' partner fields) are a user's own data
            if not target or field.inherited or fname in policies:
                continue
            policy = Policy._get_policies(target.model_name).get(target.name)
            if policy:
                related[fname] = policy
        return {**policies, **related} if related else policies

    def _privacy_as_real_user(self):
        """``self`` judged as the user behind the environment: in superuser
        mode started by a user's request (the chatter reads partners in sudo
        to send them to the browser), that user; None for the superuser
        itself (crons, installation), who sees everything."""
        if not self.env.su:
            return self
        if self.env.uid == SUPERUSER_ID:
            return None
        return self.sudo(False)

    @api.model
    def _privacy_derived_fields(self):
        """{computed copy: protected source field, or a tuple of them} masked
        with their source (e.g. email_formatted follows email). A copy of
        several fields is clear only where all of them are."""
        return {}

    @api.model
    def _privacy_sources(self, fname, derived=None):
        """The protected fields ``fname`` shows: itself or what it copies."""
        if derived is None:
            derived = self._privacy_derived_fields()
        source = derived.get(fname, fname)
        return (source,) if isinstance(source, str) else tuple(source)

    @api.model
    def _privacy_field_policies(self, fname, policies, derived=None):
        return [
            policies[source]
            for source in self._privacy_sources(fname, derived)
            if source in policies
        ]

    def _privacy_protected_names(self):
        """Names of the fields of this model that show a protected value
        (fields with a policy and their copies), empty in superuser mode: the
        quick test of every search term and sort field of every model, one
        look at the memo (a users read asks a dozen times)."""
        if self.env.su:
            return frozenset()
        return _memoized(
            self, ("names", self._name), self._privacy_compute_protected_names
        )

    def _privacy_compute_protected_names(self):
        policies = self._privacy_policies()
        derived = self._privacy_derived_fields() if policies else {}
        return frozenset(
            fname
            for fname in {*policies, *derived}
            if self._privacy_field_policies(fname, policies, derived)
        )

    @api.model
    def _privacy_partner_field(self):
        """Field linking a record to the customer whose grants apply to it."""
        return "partner_id" if "partner_id" in self._fields else None

    @api.model
    def _privacy_user_cleared(self, policy):
        """Whether the current user sees ``policy``'s field clear everywhere,
        by role (not by a per-customer grant)."""
        if self.env.su:
            return True
        admin, group_ids = self._privacy_user_groups()
        return admin or bool(policy.clear_group_ids & group_ids)

    def _privacy_user_groups(self):
        """(data administrator?, group ids) of the current user."""
        uid = self.env.uid
        return _memoized(
            self,
            ("uid", uid),
            lambda: _cached_call(type(self)._privacy_uid_groups, self, uid),
        )

    @api.model
    @tools.ormcache("uid")
    def _privacy_uid_groups(self, uid):
        # cleared with Odoo's own group caches (any change of groups)
        group_ids = frozenset(self.env["res.users"].browse(uid)._get_group_ids())
        admin_id = self.env["ir.model.data"]._xmlid_to_res_id(
            DATA_ADMIN, raise_if_not_found=False
        )
        return admin_id in group_ids, group_ids

    def _privacy_visibility(self, fnames, stored_forms=False):
        """:class:`Visibility` of the protected fields among ``fnames`` (and
        their copies) on the records of ``self``, new records included; with
        ``stored_forms``, the stored masked forms of the fields that some
        records may not see clear."""
        policies = self._privacy_policies()
        if not policies:
            return Visibility()
        derived = self._privacy_derived_fields()
        role, wanted = set(), {}
        for fname in self._privacy_protected_names().intersection(fnames):
            field_policies = self._privacy_field_policies(fname, policies, derived)
            uncleared = [p for p in field_policies if not self._privacy_user_cleared(p)]
            if uncleared:
                wanted[fname] = uncleared
            else:
                role.add(fname)
        if not wanted:
            return Visibility(role=role)
        stored = self._privacy_stored_masks(set(wanted)) if stored_forms else {}
        # set operations over the ids: an export judges 10,000 records
        rids = set(self._ids)
        grants = self._privacy_grants_by_record()
        granted_rids = set()
        if grants:  # most users hold none: no pass over the ids
            granted_rids = {
                rid
                for rid in rids
                if (rid.origin if isinstance(rid, NewId) else rid) in grants
            }
        if any(p.only_individuals for ps in wanted.values() for p in ps):
            companies = self._privacy_company_ids()
        else:
            companies = set()
        plain = {False: rids - companies - granted_rids, True: companies - granted_rids}
        open_ids = self._privacy_open_ids()
        masked, granted = {}, {}
        for fname, uncleared in wanted.items():
            masked[fname], granted[fname] = set(), set()
            for is_company, ids in plain.items():
                state = self._privacy_fold_states(uncleared, is_company, ())
                if state != "open":
                    (masked if state == "masked" else granted)[fname].update(ids)
            for rid in granted_rids:
                real_id = rid.origin if isinstance(rid, NewId) else rid
                state = self._privacy_fold_states(
                    uncleared, rid in companies, grants[real_id]
                )
                if state != "open":
                    (masked if state == "masked" else granted)[fname].add(rid)
            if open_ids and all(p.sensitivity != "high" for p in uncleared):
                masked[fname] -= open_ids
                granted[fname] -= open_ids
        return Visibility(masked, granted, role, stored)

    def _privacy_open_ids(self):
        """The ids of ``self`` (NewIds included) whose values of medium or
        low sensitivity no policy protects, whoever reads them. High values
        stay protected on every record. Here: the records whose partner
        (``_privacy_partner_field``, the one whose grants open them) is not a
        customer, since their values are that partner's - a colleague's
        message or following, the company's own e-mail. res.partner decides
        for itself."""
        link = self._privacy_partner_field()
        if not link or not self._ids:
            return set()
        return self.env["res.partner"]._privacy_ids_of_staff(self, link)

    @classmethod
    def _privacy_fold_states(cls, policies, is_company, grants):
        """The state of a field protected by ``policies`` (a copy of several
        protected fields is masked where any of them is)."""
        states = {cls._privacy_policy_state(p, is_company, grants) for p in policies}
        if "masked" in states:
            return "masked"
        return "granted" if "granted" in states else "open"

    @staticmethod
    def _privacy_policy_state(policy, is_company, grants):
        """'open' (not protected here), 'granted' or 'masked'."""
        if policy.only_individuals and is_company:
            return "open"
        for fnames, level in grants:
            if fnames is not None:
                if policy.field in fnames:
                    return "granted"
            elif LEVEL_RANK[level] >= LEVEL_RANK[policy.sensitivity]:
                return "granted"
        return "masked"

    def _privacy_masked_ids(self, fnames):
        """{field name: set of record ids (or NewIds) to mask} for the current
        user, for the protected fields among ``fnames`` and their copies."""
        return {
            f: ids for f, ids in self._privacy_visibility(fnames).masked.items() if ids
        }

    def _privacy_company_ids(self):
        if "is_company" not in self._fields:
            return set()
        # from the cache: fetched with the fields it decides on (res.partner's
        # _fetch_query), read straight from it for the 10,000 of an export
        flags = self.env.cache.get_until_miss(self, self._fields["is_company"])
        if len(flags) < len(self._ids):
            # sudo: whether a record is a company decides what is protected on
            # it, whoever formats it (the chatter formats trackings of any
            # record); else that one column
            records = self.sudo().with_context(prefetch_fields=False)
            flags = records.mapped("is_company")
        return {rid for rid, flag in zip(self._ids, flags, strict=True) if flag}

    def _privacy_grants_by_record(self):
        """{record id: the live grants of the current user on its customer}."""
        # sudo: users may not read grants, but theirs decide what they see
        Grant = self.env["privacy.access.grant"].sudo()
        if not Grant._has_live_grants(self.env.uid):
            # nearly every user nearly always: not one pass over the records
            return {}
        if self._name == "res.partner":
            by_partner = {
                pid: [pid]
                for pid in (r.origin if isinstance(r, NewId) else r for r in self._ids)
                if pid
            }
        else:
            link = self._privacy_partner_field()
            if not link:
                return {}
            by_partner = defaultdict(list)
            # sudo: the link only tells whose grants apply
            for record in self.sudo():
                rid = record.id.origin if isinstance(record.id, NewId) else record.id
                if rid and record[link]:
                    by_partner[record[link].id].append(rid)
        if not by_partner:
            return {}
        grants = Grant._live_grants(self.env.uid, list(by_partner))
        return {
            rid: grants[pid]
            for pid, rids in by_partner.items()
            if pid in grants
            for rid in rids
        }

    def _privacy_mask_value(self, fname, value):
        if not value or not isinstance(value, str):
            return value
        memo = _MASK_POLICIES.get()
        key = (self._name, fname, self.env.su)
        if memo is not None and key in memo:
            policies = memo[key]
        else:
            policies = self._privacy_field_policies(fname, self._privacy_policies())
            if memo is not None:
                memo[key] = policies
        if not policies:
            return value
        return self._privacy_apply_mask(policies[0].mask_format, value)

    @staticmethod
    def _privacy_apply_mask(fmt, value):
        if fmt == "email" and value.endswith(">") and "<" in value:
            # a formatted address: '"Name" <email>' keeps its name
            name, _sep, email = value[:-1].rpartition("<")
            return f"{name}<{masking.mask('email', email)}>"
        return masking.mask(fmt, value)

    def _privacy_stored_masks(self, fnames):
        """``{field: {record id: masked form}}``: the masked forms a model
        stores for the fields ``fnames`` of its records, each made from the
        current value with the current format (res.partner does: masking
        every value of an export costs more than the export). Nothing stored
        for other models."""
        return {}

    def _privacy_masker(self, visibility):
        """``mask(record id, field, value)`` for a batch of values of
        ``self``: the stored masked form of ``visibility`` when there is one,
        else the value masked now (each distinct value once: a list shows
        many equal cities)."""
        stored, memo = visibility.stored, {}

        def mask(rid, fname, value):
            if not value or not isinstance(value, str):
                return value
            masked = stored.get(fname, {}).get(rid)
            if masked is not None:
                return masked
            if (fname, value) not in memo:
                memo[fname, value] = self._privacy_mask_value(fname, value)
            return memo[fname, value]

        return mask

    @staticmethod
    @contextmanager
    def _privacy_masking_batch():
        """Within the block, ``_privacy_mask_value`` resolves each field's
        policies once (a list masks hundreds of values of a few fields)."""
        if _MASK_POLICIES.get() is not None:
            yield
            return
        token = _MASK_POLICIES.set({})
        try:
            yield
        finally:
            _MASK_POLICIES.reset(token)

    @api.model
    def _privacy_notify_access(self, action, records, fnames, **info):
        """The point where an access to protected data happens. Does nothing
        here; ``customer_privacy_audit`` records it in the access log."""

    def _privacy_notify_views(self, visibility):
        """Announce what ``self`` showed of its protected fields: clear by
        role, clear by grant, masked."""
        if not visibility:
            return
        if visibility.role:
            self._privacy_notify_access(
                "view_clear", self, sorted(visibility.role), origin="role"
            )
        for action, by_field, origin in (
            ("view_clear", visibility.granted, "grant"),
            ("view_masked", visibility.masked, None),
        ):
            ids = {rid for rids in by_field.values() for rid in rids}
            if ids:
                self._privacy_notify_access(
                    action,
                    self.browse([r for r in self._ids if r in ids]),
                    sorted(f for f, rids in by_field.items() if rids),
                    origin=origin,
                )

    # --------------------------------------------------------- read paths
    def _privacy_read_format(self, result, fnames):
        """``result``, what ``_read_format`` made of ``fnames``, with what the
        user may not see masked (the ``_read_format`` hook)."""
        if not result or _no_policies(self):
            return result
        # what is formatted goes to a client: in sudo too, it is masked for
        # the user of the request
        records = self._privacy_as_real_user()
        if records is None or not records._privacy_policies():
            return result
        visibility = records._privacy_visibility(fnames, stored_forms=True)
        if visibility.masked or visibility.granted:
            records._privacy_hide_values(result, visibility)
        records._privacy_notify_views(visibility)
        return result

    def _privacy_hide_values(self, result, visibility):
        """Mask in ``result`` (read values of ``self``) what the user may not
        see. In an onchange (new records), a grant opens the customer's own
        values only, not those copied from elsewhere (a parent's address)."""
        masked = {f: ids for f, ids in visibility.masked.items() if ids}
        onchanged = {
            f: {rid for rid in ids if isinstance(rid, NewId)}
            for f, ids in visibility.granted.items()
        }
        onchanged = {f: ids for f, ids in onchanged.items() if ids}
        if not (masked or onchanged):
            return
        user_input = self.env.context.get(ONCHANGE_INPUT)
        if not isinstance(user_input, OnchangeInput):
            user_input = {}
        mask = self._privacy_masker(visibility)
        with self._privacy_masking_batch():
            for vals in result:
                rid = vals["id"]
                for fname in vals.keys() & (masked.keys() | onchanged.keys()):
                    value = vals[fname]
                    if rid in masked.get(fname, ()):
                        hide = True
                    elif rid in onchanged.get(fname, ()):
                        origin_value = self.browse(rid.origin)[fname]
                        hide = not self._privacy_same_value(fname, value, origin_value)
                    else:
                        continue
                    if not hide or self._privacy_is_user_input(
                        fname, value, user_input
                    ):
                        continue
                    vals[fname] = mask(rid, fname, value)

    def _privacy_is_user_input(self, fname, value, user_values):
        """In an onchange, the value the user just typed comes back to them
        (perhaps reformatted); anything else - a stored value, a value copied
        from another record - stays masked."""
        if fname not in user_values or not value:
            return False
        return self._privacy_same_value(fname, user_values[fname], value)

    def _privacy_same_value(self, fname, value, other):
        """Whether two values of ``fname`` are the same data (phones: the
        same number, however formatted)."""
        if value == other:
            return True
        if not (value and other and isinstance(value, str) and isinstance(other, str)):
            return False
        policies = self._privacy_field_policies(fname, self._privacy_policies())
        if policies and policies[0].mask_format == "phone":
            number = normalize_phone(value)
            return bool(number) and number == normalize_phone(other)
        return False

    def onchange(self, values, field_names, fields_spec):
        if self._privacy_policies():
            self = self.with_context(**{ONCHANGE_INPUT: OnchangeInput(values)})
        return super().onchange(values, field_names, fields_spec)

    # --------------------------------------------------------------- export
    def _export_rows(self, fields, *, _is_toplevel_call=True):
        if not _is_toplevel_call:
            # the related records of an export, one call each: the common
            # case (a model without policy) first
            memo = _EXPORT_POLICIES.get()
            if memo is not None and memo.get((self._name, self.env.su)) == {}:
                return super()._export_rows(fields, _is_toplevel_call=False)
        else:
            self._privacy_check_export(fields)
            token = _EXPORT_POLICIES.set({})
            try:
                return self._privacy_export_rows(fields, _is_toplevel_call)
            finally:
                _EXPORT_POLICIES.reset(token)
        return self._privacy_export_rows(fields, _is_toplevel_call)

    def _privacy_export_rows(self, fields, _is_toplevel_call):
        memo = _EXPORT_POLICIES.get()
        if memo is None:
            policies = self._privacy_policies()
        elif (policies := memo.get((self._name, self.env.su))) is None:
            policies = memo[self._name, self.env.su] = self._privacy_policies()
        if not policies:
            return super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)
        columns = {
            i: path[0]
            for i, path in enumerate(fields)
            if len(path) == 1 and self._privacy_field_policies(path[0], policies)
        }
        if not columns:
            return super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)
        if self._privacy_single_lines(fields):
            lines = super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)
            line_ids = self._ids
        else:
            # An extra '.id' column tells which output line is which record's
            # main line (sub-lines of one2many values leave it empty).
            lines = super()._export_rows(
                [*fields, [".id"]], _is_toplevel_call=_is_toplevel_call
            )
            line_ids = [line.pop() for line in lines]
            line_ids = [int(rid) if rid else None for rid in line_ids]
        # after the export's own fetch: reading first (in sudo) would fill the
        # cache and make Odoo check the record rules in Python on every record
        visibility = self._privacy_visibility(set(columns.values()), stored_forms=True)
        mask = self._privacy_masker(visibility)
        hidden = [
            (i, fname, visibility.masked[fname], visibility.stored.get(fname, {}))
            for i, fname in columns.items()
            if visibility.masked.get(fname)
        ]
        with self._privacy_masking_batch():
            for line, rid in zip(lines, line_ids, strict=True):
                for i, fname, masked_ids, stored in hidden:
                    if rid in masked_ids and line[i]:
                        line[i] = stored.get(rid) or mask(rid, fname, line[i])
        return lines

    def _privacy_single_lines(self, fields):
        """Whether exporting the paths ``fields`` gives each record of
        ``self`` exactly one line, in order: no path goes through a to-many
        or properties field (their values add lines)."""
        for path in fields:
            model = self
            for name in path:
                if name in ("id", ".id"):
                    break
                field = model._fields.get(name)
                if field is None or field.type in (
                    "one2many",
                    "many2many",
                    "properties",
                ):
                    return False
                if not field.relational:
                    break
                model = self.env[field.comodel_name]
        return True

    def _privacy_path_policies(self, path):
        """The policies protecting the field at the end of ``path`` (a list of
        field names through relations), for the current user."""
        model = self
        for name in path[:-1]:
            field = model._fields.get(name)
            if not field or not field.relational:
                return []
            model = self.env[field.comodel_name]
        if not path or path[-1] in ("id", ".id"):
            return []
        return model._privacy_field_policies(path[-1], model._privacy_policies())

    def _privacy_check_export(self, fields):
        """Collectors (and auditors) cannot export medium or high fields, even
        masked, on this model or through a relation (SPEC §3: 录入-提交
        only). Others' exports are announced."""
        protected = {
            "/".join(path): self._privacy_path_policies(path) for path in fields if path
        }
        protected = {column: ps for column, ps in protected.items() if ps}
        if not protected:
            return
        user = self.env.user
        if not (user.has_group(USER_GROUP) or user.has_group(DATA_ADMIN)):
            blocked = sorted(
                column
                for column, policies in protected.items()
                if any(p.sensitivity in ("medium", "high") for p in policies)
            )
            if blocked:
                raise AccessError(
                    self.env._(
                        "Your role may not export protected customer data "
                        "(%(fields)s).",
                        fields=", ".join(blocked),
                    )
                )
        self._privacy_notify_access("export", self, sorted(protected))

    # ----------------------------------------------------------- read_group
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
        hidden = [g for g in active if self._privacy_hidden_field(g, policies)]
        for gb in hidden:
            # The group domain would carry the clear value back to the
            # client: replace that term by the ids of the group's records.
            ids_by_value = dict(self._read_group(domain, [gb], ["id:array_agg"]))
            for group in result:
                value = group.get(gb)
                if not value:
                    continue
                group[gb] = self._privacy_mask_value(gb, value)
                if "__domain" in group:
                    group["__domain"] = [
                        ("id", "in", ids_by_value.get(value, []))
                        if isinstance(term, (list, tuple)) and term[0] == gb
                        else term
                        for term in group["__domain"]
                    ]
            self._privacy_notify_access(
                "view_masked",
                self.browse({i for v, ids in ids_by_value.items() if v for i in ids}),
                [gb],
            )
        self._privacy_mask_aggregates(result, fields, policies)
        return result

    def _privacy_hidden_field(self, fname, policies):
        """Whether ``fname`` shows a protected field the user is not cleared
        for (whatever the record)."""
        return any(
            not self._privacy_user_cleared(policy)
            for policy in self._privacy_field_policies(fname, policies)
        )

    def _privacy_mask_aggregates(self, groups, fields, policies):
        """``email:array_agg`` or ``max(phone)`` would list the values of a
        whole group: they are masked; counts stay as they are."""
        hidden = {}
        for spec in fields or ():
            match = regex_field_agg.match(spec)
            if not match:
                continue
            name, func, fname = match.groups()
            fname = fname or name
            if func and func not in COUNT_AGGREGATES:
                if self._privacy_hidden_field(fname, policies):
                    hidden[name] = fname
        for group in groups:
            for name, fname in hidden.items():
                value = group.get(name)
                if isinstance(value, list):
                    group[name] = [self._privacy_mask_value(fname, v) for v in value]
                elif isinstance(value, str):
                    group[name] = self._privacy_mask_value(fname, value)

    def _read_group_orderby(self, order, groupby_terms, query):
        # Groups sorted by a protected value tell its rank among values the
        # user chooses (an oracle): they sort by presence only.
        policies = self._privacy_policies()
        if policies and groupby_terms:
            groupby_terms = {
                spec: (
                    SQL("(%s IS NULL)", sql)
                    if self._privacy_hidden_field(spec.split(":")[0], policies)
                    else sql
                )
                for spec, sql in groupby_terms.items()
            }
        return super()._read_group_orderby(order, groupby_terms, query)

    # -------------------------------------------------------------- search
    @api.model
    def _search_display_name(self, operator, value):
        names = self._rec_names_search
        if (
            not names
            or operator not in PARTIAL_OPERATORS
            or not value
            or not self._privacy_policies()
        ):
            return super()._search_display_name(operator, value)
        allowed = [
            fname
            for fname in names
            if not any(
                not policy.allow_partial_search
                and not self._privacy_user_cleared(policy)
                for policy in self._privacy_path_policies(fname.split("."))
            )
        ]
        if len(allowed) == len(names):
            return super()._search_display_name(operator, value)
        # the name search looks only into the fields the user may search
        # partially (an e-mail fragment must not find its customer)
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
        for policy in self._privacy_field_policies(fname, policies):
            if not self._privacy_user_cleared(policy):
                return policy
        return None

    def _privacy_check_search(self, fname, operator, value):
        """Refuse partial and range search on a protected field: it would let
        a user guess the value one character at a time. Exact search stays
        open. Returns the policy limiting the search, if any."""
        policy = self._privacy_search_policy(fname)
        if policy:
            self._privacy_refuse_oracle(policy, fname, operator, value)
        return policy

    def _privacy_refuse_oracle(self, policy, fname, operator, value):
        """Raise when ``operator`` would search ``fname`` (protected by
        ``policy``, which the user is not cleared for) other than exactly."""
        exact_like = (
            operator in EXACT_LIKE_OPERATORS
            and isinstance(value, str)
            and not WILDCARD.search(value)
        )
        partial = operator in PARTIAL_OPERATORS and not exact_like
        if (partial and not policy.allow_partial_search) or operator in RANGE_OPERATORS:
            raise UserError(
                self.env._(
                    "You may only search %(field)s by its exact value: it is "
                    "protected personal data.",
                    field=self._fields[fname]._description_string(self.env),
                )
            )

    def _privacy_condition_to_sql(self, alias, fname, operator, value, query):
        """The ``_condition_to_sql`` hook: refuses a search that would guess
        a protected value, and gives the SQL of an exact phone search; None
        leaves the condition to Odoo. Only for the protected names of the
        model (``_privacy_protected_names``)."""
        policies = self._privacy_policies()
        field_policies = self._privacy_field_policies(fname, policies)
        self._privacy_check_search(fname, operator, value)
        self._privacy_notify_access("search", self.browse(), [fname])
        if (
            field_policies[0].mask_format == "phone"
            and operator in PHONE_EXACT_OPERATORS
        ):
            return self._privacy_phone_condition(alias, fname, operator, value, query)
        return None

    def _privacy_phone_condition(self, alias, fname, operator, value, query):
        """Exact phone search compares numbers, not their formatting: the
        stored digits must be the E.164, international or national digits of
        the value. None when the value is not a list of phone numbers."""
        values = value if operator in ("in", "not in") else [value]
        if not isinstance(values, (list, tuple, set)) or not values:
            return None
        variants = set()
        for number in values:
            e164 = isinstance(number, str) and normalize_phone(number)
            if not e164:
                return None
            # E.164, national and trunk digits, and 00 + E.164 (dialled abroad)
            variants |= phone_digit_variants(number) | {"00" + e164[1:]}
        column = self._field_to_sql(alias, fname, query)
        condition = SQL(
            "regexp_replace(COALESCE(%s, ''), '[^0-9]', '', 'g') = ANY(%s)",
            column,
            sorted(variants),
        )
        if operator in expression.NEGATIVE_TERM_OPERATORS:
            return SQL("(%s IS NULL OR NOT (%s))", column, condition)
        return condition

    def _privacy_order_field_to_sql(self, alias, field_name, direction, nulls, query):
        """The ``_order_field_to_sql`` hook: sorting by a protected value
        would rank it among values the user chooses (an oracle), so it sorts
        by presence only; None leaves the order to Odoo. Only for the
        protected names of the model (``_privacy_protected_names``)."""
        if self._fields[field_name].store and self._privacy_hidden_field(
            field_name, self._privacy_policies()
        ):
            return SQL(
                "(%s IS NULL) %s %s",
                self._field_to_sql(alias, field_name, query),
                direction,
                nulls,
            )
        return None

    # ----------------------------------------------------------------- copy
    @api.private
    def copy_data(self, default=None):
        # copy() duplicates real values on the server; over RPC copy_data()
        # would hand every copyable field's real value to the caller
        return super().copy_data(default=default)

    # ---------------------------------------------------------- write-back
    @api.model_create_multi
    def create(self, vals_list):
        policies = self._privacy_policies()
        if not policies:
            return super().create(vals_list)
        for vals in vals_list:
            for fname in self._privacy_masked_inputs(vals, policies):
                # a masked value copied from elsewhere is not data
                del vals[fname]
        records = super().create(vals_list)
        fnames = {f for vals in vals_list for f in vals if f in policies}
        if fnames:
            self._privacy_notify_access("create", records, sorted(fnames))
        return records

    def write(self, vals):
        policies = self._privacy_policies()
        if not policies or not any(f in policies for f in vals):
            return super().write(vals)
        skipped = self._privacy_masked_inputs(vals, policies)
        if skipped:
            # the masked form sent back (a form saved as displayed, an
            # address copied from a parent) never replaces the real value;
            # a new parent's address is copied by the server itself
            vals = {f: v for f, v in vals.items() if f not in skipped}
        written = sorted(f for f in vals if f in policies)
        if written:
            self._privacy_notify_access("write", self, written)
        if not vals:
            return True
        return super().write(vals)

    def unlink(self):
        if self and self._privacy_policies():
            self._privacy_notify_access("delete", self, [])
        return super().unlink()

    def _privacy_masked_inputs(self, vals, policies):
        """The protected fields of ``vals`` holding a masked value (with the
        mask character) from a user who sees them masked: such a value came
        from a masked read and is never real data to store."""
        return [
            fname
            for fname, value in vals.items()
            if fname in policies
            and masking.looks_masked(value)
            and not self._privacy_user_cleared(policies[fname])
        ]
