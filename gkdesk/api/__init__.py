"""Area API modules: what screens call, returning frozen view records (never peewee rows)
and taking the acting user on every write."""
