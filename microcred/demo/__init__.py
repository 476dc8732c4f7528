"""The demo installation: a state, two districts, a provider, people in every role,
and credentials in every state of the design lifecycle. Loaded by `manage.py load_demo`."""
