"""The course: lesson files read into Lessons (checked, with answers from the engine), the learner's progress,
and a session that plays a lesson without any UI. The lesson files themselves are in the top-level lessons/."""
