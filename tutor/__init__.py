"""tutor: watch a neural network learn, one operation at a time."""

import os

# One BLAS thread (unless the user says otherwise), set before numpy is first imported. The engine's products are
# small (batches of 10, one example in the tracer): a second OpenBLAS thread does not speed them up, and on a
# busy machine its spinning made a 30x784 by 784x100 product 10x slower (1.6 ms against 0.17 ms, measured), and
# it competes with the app's own UI thread.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
