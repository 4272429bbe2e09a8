"""Writes that span rows. Each is a keyword-only function that runs in one transaction:

- :mod:`outcomes.services.values`: importing values (the command and the officers' upload);
- :mod:`outcomes.services.reference`: loading a partnership's reference data;
- :mod:`outcomes.services.review`: the review workflow.
"""
