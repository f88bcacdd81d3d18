"""Legal terms, outcomes and periods: the one place the rest of gkdesk reads them from."""
