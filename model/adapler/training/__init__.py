"""The AdapLeR training recipe (docs/method.md, "Training recipe"), one module per part.

- settings: TrainConfig (the hyper-parameters) and the lambda schedule;
- data: reading, tokenizing, batching the splits;
- metrics: accuracy, F1 and the hard-removal evaluation (the exported forward);
- optim: the AdamW / warm-up schedule and the separate eta/theta Adam;
- run_state: the run directory's state (resumable at every epoch boundary), log and RNG;
- epochs: the one epoch loop every training phase shares;
- teacher: phase 1, the plain classifier fine-tuned on the task (and its per-epoch saliency);
- saliency_targets: phase 2, the mean saliency of the teacher's best epochs;
- adapler_phase: phase 3, AdapLeR from the pre-trained encoder with soft removal;
- selection: phase 4, the checkpoint kept (best speedup within a tolerance of the teacher).

`adapler.train` strings them together and is the command line.
"""
