"""Pure logic with no ORM access, and SQL fragments (sql.py)."""
