# isort: off
# first: the models of the tables kept beside customers inherit it
from . import privacy_customer_row

# isort: on
from . import (
    base,
    ir_rule,
    mail_message,
    mail_thread,
    mail_thread_phone,
    mail_tracking_value,
    privacy_access_grant,
    privacy_blind_index,
    privacy_data_key,
    privacy_field_policy,
    privacy_key_service,
    privacy_masked_form,
    res_company,
    res_config_settings,
    res_groups,
    res_partner,
    res_partner_identity,
    res_partner_industry,
    res_partner_masked,
    res_users,
)
