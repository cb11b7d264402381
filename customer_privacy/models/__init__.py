from . import (
    base,
    mail_tracking_value,
    privacy_access_grant,
    privacy_field_policy,
    res_company,
    res_config_settings,
    res_groups,
    res_partner,
    res_partner_industry,
    res_users,
)
