"""The `tutor lessons check|list|reset` and `tutor lesson ID` commands (registered in tutor.cli)."""

from __future__ import annotations

import json
import sys


def add_parsers(sub) -> None:
    p = sub.add_parser("lessons", help="check, list or reset the lessons")
    lsub = p.add_subparsers(dest="lessons_command", metavar="ACTION", required=True)
    c = lsub.add_parser("check", help="validate lesson files (default: the shipped lessons); exit 2 on problems")
    c.add_argument("paths", nargs="*", metavar="PATH", help="lesson files or directories of them")
    c = lsub.add_parser("list", help="the lessons with their steps, exercises and your progress")
    c.add_argument("--json", action="store_true", help="print a JSON list instead")
    c = lsub.add_parser("reset", help="forget your progress in one lesson, or in all of them")
    c.add_argument("id", nargs="?", metavar="ID", help="a lesson id (default: every lesson)")
    p = sub.add_parser("lesson", help="open a lesson in the app where you left it")
    p.add_argument("id", metavar="ID", help="a lesson id or number (see: tutor lessons list)")


def _progress(lessons):
    from tutor.course.progress import Progress

    progress = Progress.load(lessons={lesson.id: lesson.keys for lesson in lessons})
    if progress.notice:
        print(f"tutor: {progress.notice}", file=sys.stderr)
    return progress


def _save(progress) -> None:
    from tutor.course.progress import ProgressError
    from tutor.errors import InputError

    try:
        progress.save()
    except ProgressError as e:
        raise InputError(str(e)) from None


def run_lessons(args) -> int:
    from tutor.course import reader as L
    from tutor.course.progress import summarize

    if args.lessons_command == "check":
        found, problems = L.check_all(args.paths)
        for p in problems:
            print(p)
        if problems:
            print(f"tutor: {len(problems)} problem{'s' * (len(problems) != 1)} in lesson files", file=sys.stderr)
            return 2
        print(f"ok: {len(found)} lessons, {sum(l.exercises for l in found)} exercises")
        return 0
    lessons = L.load_lessons()
    progress = _progress(lessons)
    if args.lessons_command == "list":
        rows = summarize(lessons, progress)
        if args.json:
            print(json.dumps([{"number": r.number, "id": r.id, "title": r.title, "steps": r.steps,
                               "exercises": r.exercises, "completed": r.completed, "steps_done": r.steps_done}
                              for r in rows], indent=1, allow_nan=False))
            return 0
        width = max(len(r.id) for r in rows)
        for r in rows:
            print(f"{r.number:>3}  {r.id:<{width}}  {r.title}  ({r.steps} steps, {r.exercises} exercises; {r.state})")
        return 0
    if args.id is not None:
        lesson = L.find_lesson(lessons, args.id)
        progress.reset(lesson.id)
        _save(progress)
        print(f"Progress in lesson '{lesson.id}' forgotten.")
    else:
        progress.reset()
        _save(progress)
        print("Progress in every lesson forgotten.")
    return 0


def run_lesson(args) -> int:
    from tutor.course import reader as L

    lesson = L.find_lesson(L.load_lessons(), args.id)  # an unknown id is reported before the app starts
    from tutor.app.app import TutorApp

    TutorApp(data_dir=args.data, lesson_id=lesson.id).run()
    return 0


COMMANDS = {"lessons": run_lessons, "lesson": run_lesson}
