from . import cli, models, wizards
from .hooks import uninstall_hook
