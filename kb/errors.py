"""The one error family of the knowledge base.

Every error a user can cause or fix is a :class:`KbError` whose message says what to do
next. The web app turns them into a JSON or HTML answer with :attr:`KbError.status`;
the command line prints ``Error: <message>`` and exits with code 1.
"""


class KbError(Exception):
    """Base of all errors the user can act on."""

    status = 400


class BadRequest(KbError):
    """A query or parameter that cannot be answered as given."""

    status = 400


class NotFound(KbError):
    """A report, paragraph or page that does not exist."""

    status = 404


class IndexMissing(KbError):
    """There is no index, or it was built by another version, or for another corpus."""

    status = 503


class Unavailable(KbError):
    """The search cluster (``--backend sphinx://…``) does not answer, or refused a statement."""

    status = 503


class Busy(KbError):
    """Another import or build is running (see :mod:`kb.locks`); nothing was changed."""

    status = 503


class ImportFailed(KbError):
    """An input file that cannot become a report; nothing was written for it."""

    status = 400
