"""The learner's own code, traced and checked quantity by quantity (issue 12)."""
