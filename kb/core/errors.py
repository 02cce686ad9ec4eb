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
    """Another import or build is running (see :mod:`kb.core.locks`); nothing was changed."""

    status = 503


class ImportFailed(KbError):
    """An input file that cannot become a report; nothing was written for it."""

    status = 400


class IndexDamaged(IndexMissing):
    """An index file could not be read while answering (truncated, garbled or removed
    under the reader). Raised by the engine, which translates its own library's errors;
    the knowledge base reads once more if a build has replaced the generation meanwhile,
    else reports the index as damaged (``run: kb build``)."""

    def __init__(self, cause: BaseException | str):
        what = cause if isinstance(cause, str) else f"the index cannot be read: {type(cause).__name__}"
        super().__init__(f"索引已损坏 ({what}); run: kb build")


#: What every message about a missing, stale or damaged index ends with.
REBUILD = "run: kb build"
