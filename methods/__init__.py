"""The statistics, in plain Python: no Django, no database.

Each module is one method family, as OHID's Fingertips, Open SDG and NHS England's Making Data
Count define them; every function takes plain numbers and returns plain values or small frozen
dataclasses, so that a page can explain each status it shows.

- :mod:`methods.base`: constants, the vocabulary of statuses, input checks.
- :mod:`methods.distributions`: the probability distributions the others need.
- :mod:`methods.intervals`: confidence intervals.
- :mod:`methods.comparison`: comparison with a benchmark.
- :mod:`methods.trend`: the trend marker.
- :mod:`methods.targets`: progress towards a target.
- :mod:`methods.spc`: Making Data Count XmR charts (variation and assurance).
- :mod:`methods.describe`: each status in plain English, and the "about the statistics" note.
- :mod:`methods.periods`: reporting periods, their parsing and their UK labels.
"""
