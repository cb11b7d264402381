from . import (
    res_company,
    res_config_settings,
    res_groups,
    res_partner,
    res_partner_industry,
    res_users,
)
