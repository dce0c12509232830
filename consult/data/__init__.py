"""The data layer: the only code that queries the database. Views call these functions."""
