"""Makes `import adapler` work when pytest runs from anywhere in the repository."""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# Debian's torch starts with one thread; use the machine.
torch.set_num_threads(os.cpu_count() or 1)
