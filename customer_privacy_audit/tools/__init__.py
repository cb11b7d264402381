"""Pure helpers of the audit addon (no ORM access), unit-tested without Odoo."""
