# Copyright 2026 Customer Privacy for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Odoo's partner merge, with customers' protected and encrypted data.

The merge fills the kept partner's empty fields from the others, moves
what points to them onto it, then deletes them. Here the kept partner keeps
its customer code, its reviewed classification and its audience; an
encrypted value moves to it re-encrypted under its own data key (a
ciphertext is bound to its record); the merged customers' keys, grants and
masked forms stay with them; and what would widen a customer's audience is
for data administrators only."""

from odoo import Command, api, models
from odoo.exceptions import AccessError, UserError

from ..models.res_partner import CONFIDENTIALITY

DATA_ADMIN = "customer_privacy.group_privacy_data_admin"


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        partners = self.env["res.partner"].browse(partner_ids).exists()
        if len(partners) < 2:
            return super()._merge(partner_ids, dst_partner, extra_checks)
        if not dst_partner or dst_partner not in partners:
            # Odoo then keeps the last of its own order: so does the suite
            dst_partner = self._get_ordered_partner(partners.ids)[-1]
        src_partners = partners - dst_partner
        if not (self.env.su or self.env.user.has_group(DATA_ADMIN)):
            self._privacy_check_merge(src_partners, dst_partner)
        carried = self._privacy_encrypted_to_carry(src_partners, dst_partner)
        # In a savepoint: nothing is destroyed unless the merge passes
        # Odoo's own checks
        with self.env.cr.savepoint():
            self._privacy_detach_merged(src_partners)
            result = super()._merge(partner_ids, dst_partner, extra_checks)
            if carried:
                # sudo: written like any encrypted value, by its inverse;
                # the user's right to write the partner was checked by the
                # merge
                dst_partner.sudo().write(carried)
        return result

    @api.model
    def _privacy_detach_merged(self, src_partners):
        """Odoo moves what points to a merged partner onto the one kept:
        not, here, what is bound to the merged customer itself. sudo: keys,
        forms and grants are reachable by no group."""
        # a wrapped data key opens only for its own customer: the merged
        # ones are crypto-shredded (and logged as such), what they held is
        # carried re-encrypted under the kept contact's key
        keys = self.env["privacy.data.key"].sudo()
        keyed = keys.search([("partner_id", "in", src_partners.ids)]).partner_id
        if keyed:
            keyed._privacy_crypto_shred()
        # a blind index left over would find the kept contact by the merged
        # one's number (crypto-shredding removed those of the keyed ones)
        self.env["privacy.blind.index"].sudo()._forget(src_partners.ids)
        # the kept contact keeps its audience: the merged ones' named
        # authorised users are not added to it
        authorised = src_partners.sudo().filtered("privacy_authorized_user_ids")
        if authorised:
            authorised.write({"privacy_authorized_user_ids": [Command.clear()]})
        # a grant opens the customer it was given for: moved to the kept
        # contact, it would open that one too, without a reason
        grants = self.env["privacy.access.grant"].sudo()
        grants = grants.search([("partner_ids", "in", src_partners.ids)])
        if grants:
            grants.write(
                {"partner_ids": [Command.unlink(pid) for pid in src_partners.ids]}
            )
        # the values written on the kept contact remake its masked forms
        self.env["privacy.masked.form"].sudo().search(
            [("partner_id", "in", src_partners.ids)]
        ).unlink()

    def _privacy_check_merge(self, src_partners, dst_partner):
        """What only a data administrator may merge: a merge fills the kept
        contact with the others' details, which then have its audience."""
        partners = src_partners | dst_partner
        open_ids = partners._privacy_open_ids()
        if open_ids and len(open_ids) < len(partners):
            # a colleague's or the company's partner, which nobody reads
            # masked (res.partner._privacy_open_ids), would show a customer's
            # protected values clear to everyone
            raise AccessError(
                self.env._(
                    "Only a data administrator may merge customers with the "
                    "partner of a user or of the company: their protected "
                    "details would become readable by everyone."
                )
            )
        # sudo: the classification decides, whoever merges
        rank = {key: i for i, (key, _label) in enumerate(CONFIDENTIALITY)}
        kept = rank.get(dst_partner.sudo().privacy_confidentiality, 0)
        for src in src_partners.sudo():
            level = src.privacy_confidentiality
            if level == "top_secret" or rank.get(level, 0) > kept:
                raise AccessError(
                    self.env._(
                        "%(customer)s is more confidential than the contact kept, "
                        "or top secret: merged, its details would be seen by that "
                        "contact's audience. Keep the most confidential contact, "
                        "or ask a data administrator.",
                        customer=src.display_name,
                    )
                )

    @api.model
    def _update_values(self, src_partners, dst_partner):
        # the kept partner keeps its code, classification and masked forms
        # (res.partner's write drops them from what the merge writes)
        return super()._update_values(
            src_partners, dst_partner.with_context(privacy_merging=True)
        )

    @api.model
    def _privacy_encrypted_to_carry(self, src_partners, dst_partner):
        """{field: clear value} of the encrypted fields the kept partner
        lacks and a merged one has, decrypted before it is deleted."""
        carried = {}
        # sudo: the ciphertext columns are readable by no group
        dst = dst_partner.sudo()
        for fname in dst._privacy_encrypted_fields():
            if dst[f"{fname}_cipher"]:
                continue
            for src in src_partners.sudo():
                if not src[f"{fname}_cipher"]:
                    continue
                value = src._privacy_decrypt(fname).get(src.id)
                if not value:
                    raise UserError(
                        self.env._(
                            "%(field)s of %(customer)s cannot be decrypted with "
                            "the configured master keys, so it cannot move to the "
                            "contact kept. Nothing was merged.",
                            field=dst._fields[fname]._description_string(self.env),
                            customer=src.display_name,
                        )
                    )
                carried[fname] = value
                if fname == "privacy_id_number":
                    # the number is checked against its document type
                    carried["privacy_id_type"] = src.privacy_id_type
                break
        return carried
