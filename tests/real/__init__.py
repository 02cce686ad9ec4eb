"""The real work reports of ../shared/data rendered into the forms people download."""
