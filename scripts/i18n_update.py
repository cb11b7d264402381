"""Refresh an addon's .pot from a database and merge it into zh_CN.po.

    .venv/bin/python scripts/i18n_update.py DB ADDON

Existing translations are kept; new terms are added untranslated (the i18n
test then names them); terms gone from the code are dropped.
"""

import os
import subprocess
import sys
from pathlib import Path

import polib

REPO = Path(__file__).resolve().parent.parent


def main(db, addon):
    pot_path = REPO / addon / "i18n" / f"{addon}.pot"
    po_path = REPO / addon / "i18n" / "zh_CN.po"
    pot_path.parent.mkdir(exist_ok=True)
    odoo_src = Path(os.environ.get("ODOO_SRC", "/opt/odoo18"))
    subprocess.run(  # noqa: S603
        [
            sys.executable,
            str(odoo_src / "odoo-bin"),
            "-c",
            str(REPO / ".odoo" / "odoo.conf"),
            "-d",
            db,
            f"--i18n-export={pot_path}",
            f"--modules={addon}",
            "--stop-after-init",
            "--log-level=warn",
        ],
        check=True,
    )
    pot = polib.pofile(str(pot_path))
    old = polib.pofile(str(po_path)) if po_path.exists() else polib.POFile()
    known = {e.msgid: e.msgstr for e in old}
    po = polib.POFile(wrapwidth=78)
    po.metadata = dict(pot.metadata)
    po.metadata.update({"Language": "zh_CN", "Plural-Forms": "nplurals=1; plural=0;"})
    for entry in pot:
        entry.msgstr = known.get(entry.msgid, "")
        po.append(entry)
    po.save(str(po_path))
    untranslated = [e.msgid for e in po if not e.msgstr]
    print(f"{po_path}: {len(po)} terms, {len(untranslated)} untranslated")


if __name__ == "__main__":
    main(*sys.argv[1:3])
