"""The demo story (see story.py): plain Python run by ``hooks.post_init_hook``
when the module is installed with demo data."""
