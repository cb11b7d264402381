"""Pure logic with no ORM access."""
