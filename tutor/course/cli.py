"""The `tutor lessons check|list|key|report|reset` commands, and the parsers of those and of `tutor lesson ID` (tutor.cli)."""

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
    c = lsub.add_parser("key", help="the answer key: every exercise's expected answer, accepted range and the wrong "
                                    "answers it rejects, all from the engine")
    c.add_argument("id", nargs="?", metavar="ID", help="a lesson id or number (default: every lesson)")
    c.add_argument("--json", action="store_true", help="print a JSON list, one object per exercise")
    c = lsub.add_parser("reset", help="forget your progress in one lesson, or in all of them")
    c.add_argument("id", nargs="?", metavar="ID", help="a lesson id (default: every lesson)")
    c = lsub.add_parser("report", help="the teacher's report of a classroom (tutor serve): per student and per "
                                       "exercise")
    c.add_argument("--json", action="store_true", help="print one JSON object instead")
    c.add_argument("--data-dir", metavar="DIR", help="where the students' progress is (default: $XDG_DATA_HOME/tutor, "
                                                     "which holds students/NAME/progress.json)")
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
        from tutor.course.solutions import check_solutions

        found, problems = L.check_all(args.paths)
        broken = {p.path for p in problems}
        problems += check_solutions([lesson for lesson in found if str(lesson.path) not in broken])
        for p in problems:
            print(p)
        if problems:
            print(f"tutor: {len(problems)} problem{'s' * (len(problems) != 1)} in lesson files", file=sys.stderr)
            return 2
        print(f"ok: {len(found)} lessons, {sum(l.exercises for l in found)} exercises")
        return 0
    lessons = L.load_lessons()
    if args.lessons_command == "report":
        from tutor.course import report

        built = report.build(lessons, args.data_dir)
        print(built.to_json() if args.json else report.text(built))
        return 0
    if args.lessons_command == "key":
        return _key([L.find_lesson(lessons, args.id)] if args.id else lessons, args.json)
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


def answer_key(lessons) -> list[dict]:
    """One object per exercise: its lesson and step, what it asks, and for a predict step the expected value, the
    accepted range and the classic wrong answers that range rejects (tutor.course.grading), all from the engine."""
    from tutor.course import grading

    rows = []
    for lesson in lessons:
        for step in lesson.steps:
            if not step.is_exercise:
                continue
            row = {"lesson": lesson.id, "step": step.key, "kind": step.kind, "title": step.title}
            if step.kind == "predict":
                error = grading.allowed_error(step)
                row.update(quantity=step.quantity, expected=step.answer, accepted=[step.answer - error,
                                                                                   step.answer + error],
                           rule=grading.rule_text(step),
                           rejects=[{"what": w.what, "value": w.value}
                                    for w in grading.classic_wrong_answers(step, lesson.trace)])
            elif step.kind == "code":
                row.update(quantity=step.quantity, solution=step.solution)
            else:
                row.update(options=[o.text for o in step.options],
                           correct=next(i for i, o in enumerate(step.options) if o.correct) + 1)
            rows.append(row)
    return rows


def _key(lessons, as_json: bool) -> int:
    rows = answer_key(lessons)
    if as_json:
        print(json.dumps(rows, indent=1, allow_nan=False))
        return 0
    lesson = None
    for row in rows:
        if row["lesson"] != lesson:
            lesson = row["lesson"]
            print(f"{lesson}:")
        if row["kind"] == "code":
            print(f"  {row['step']}: {row['quantity']} = {row['solution']}  (any code giving the engine's value)")
            continue
        if row["kind"] == "choice":
            print(f"  {row['step']}: option {row['correct']}) {row['options'][row['correct'] - 1]}")
            continue
        low, high = row["accepted"]
        print(f"  {row['step']}: {row['quantity']} = {row['expected']!r}  accepts [{low:.10g}, {high:.10g}] "
              f"({row['rule']})")
        for wrong in row["rejects"]:
            print(f"      rejects {wrong['value']!r}: {wrong['what']}")
    return 0


COMMANDS = {"lessons": run_lessons}  # `tutor lesson ID` opens the app: tutor.cli.run_lesson
