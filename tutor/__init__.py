"""tutor: watch a neural network learn, one operation at a time."""

__version__ = "0.1.0"
