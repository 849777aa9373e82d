"""`tutor check FILE.py`: the learner's own network run in a child process and compared with the engine, quantity
by quantity in the trace's order, stopping at the first that differs (issue 12, part 2). No Textual here."""

from tutor.check.report import LEVELS, Difference, Report

__all__ = ["LEVELS", "Difference", "Report", "check_file"]


def check_file(path, *, seed=None, upto=None, **options):
    """The learner's file checked on the article's networks and random ones (tutor.check.compare.check_file)."""
    from tutor.check.compare import check_file as check

    return check(path, seed=seed, upto=upto, **options)
