"""`tutor bench`: training speed and memory (training.py), and the app's key-press latency (ui.py)."""
