from . import privacy_reveal_wizard
