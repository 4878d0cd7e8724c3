"""The one error of this package that reaches people: a wrong BAG_C2PA_* setting at start."""


class ProvenanceConfigError(ValueError):
    """A BAG_C2PA_* setting is wrong; the message names it and says what to do."""
