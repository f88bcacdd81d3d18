"""Area APIs: the only part of the core the screens call.

One module per area (``cases``, ``documents``, ``forms``, ``reports``, ``admin``; new areas
add theirs). Each returns **frozen view records** (dataclasses, tuples, plain values), never
peewee rows or queries, so a screen cannot run SQL by accident and a record read on a
worker thread is safe to hand to the UI thread. Every write takes the acting user (an
``gkdesk.actors.Actor``) and the core service checks the role itself. Screens run these
functions through ``ctx.ops`` (``gkdesk.ui.ops``): reads on the reader pool, writes on the
one writer thread. See docs/architecture.md.
"""
