"""Area APIs for the GUI: frozen view records (never peewee rows), the acting user on every write."""
