"""The strategy's data, one module per concern; every model is importable from here, as Django
expects of an app's models.

- :mod:`outcomes.models.strategy`: themes, outcomes, periods, measures, targets, breakdowns;
- :mod:`outcomes.models.values`: published values and their checks;
- :mod:`outcomes.models.review`: proposals, the record of changes, uploads;
- :mod:`outcomes.models.partnership`: the partnership that runs the tracker.
"""

from outcomes.models.partnership import Partnership  # noqa: F401
from outcomes.models.review import (  # noqa: F401
    Proposal,
    ProposalQuerySet,
    Upload,
    ValueEvent,
    ValueEventQuerySet,
)
from outcomes.models.strategy import (  # noqa: F401
    Breakdown,
    Measure,
    MeasureQuerySet,
    Outcome,
    Period,
    Target,
    Theme,
)
from outcomes.models.values import (  # noqa: F401
    ALL_PEOPLE,
    FIGURE_FIELDS,
    NOTE_MAX_CHARS,
    NUMBER_FIELDS,
    SOURCE_MAX_CHARS,
    Value,
    ValueQuerySet,
    figures_equal,
    figures_from_json,
    figures_json,
    figures_of,
    text_errors,
    value_errors,
)
