from . import base_partner_merge, privacy_reveal_wizard
