"""The disclosure process (pure Python, no Qt): registration (``registry``), deadlines,
workflow, queries. Import the module you need: this package imports nothing itself, so a
module that needs only ``alerts`` or ``query`` (the start page) does not pay for the rest."""
