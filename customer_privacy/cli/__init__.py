from . import privacy_keys
