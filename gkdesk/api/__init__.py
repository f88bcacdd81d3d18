"""Area API modules: what screens import to reach the core. Each returns frozen view
records (never peewee rows) and takes the acting user on every write."""
