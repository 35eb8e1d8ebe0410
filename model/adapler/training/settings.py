"""The trainer's hyper-parameters and the authors' lambda schedules."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class TrainConfig:
    data: str = ""
    labels: list = field(default_factory=list)
    max_length: int = 128
    epochs: int = 5                   # AdapLeR epochs
    teacher_epochs: int = 5
    saliency_epochs: int = 3          # the authors average the 3 best teacher epochs
    lambdas: list = field(default_factory=list)  # explicit per-epoch lambdas (default: schedule)
    batch_size: int = 32
    eval_batch_size: int = 64
    lr: float = 3e-5
    weight_decay: float = 0.01
    adam_eps: float = 1e-12
    warmup: float = 0.06
    max_grad_norm: float = 1.0
    eta_lr: float = 5e-4
    cp_lr: float = 0.0                # 0: the CP heads train at lr like the rest (the spec);
                                      # short runs may need more for the fresh heads to move
    gamma: float = 0.005
    phi: float = 0.0005
    dropout: float = 0.1
    metric: str = "accuracy"          # the validation score of the checkpoint rule
    tolerance: float = 0.01
    seed: int = 42
    limit_train: int = 0              # 0: all rows; else N rows drawn with the seed
    max_steps_per_epoch: int = 0      # 0: whole epochs; else cut (smoke runs)
    log_every: int = 20
    bucket_batches: int = 4           # training batches cut within buckets of this many batches
                                      # of rows of similar length; 0: one random order (no buckets)
    save_every_minutes: float = 10.0  # mid-epoch saves of the run state (0: only by steps)
    save_every_steps: int = 0         # and/or every N steps (0: only by time)
    adapler_init: str = ""            # the AdapLeR phase's starting checkpoint ("": the run's initial)

    def check(self):
        if self.metric not in ("accuracy", "f1"):
            raise ValueError(f"--metric must be accuracy or f1, found {self.metric!r}")
        if self.saliency_epochs < 1 or self.teacher_epochs < 1 or self.epochs < 1:
            raise ValueError("epoch counts must be >= 1")
        if self.bucket_batches < 0 or self.save_every_steps < 0 or self.save_every_minutes < 0:
            raise ValueError("bucket_batches, save_every_steps and save_every_minutes must be >= 0")
        if self.lambdas and len(self.lambdas) != self.epochs:
            raise ValueError(f"{len(self.lambdas)} lambdas given for {self.epochs} epochs")
        lambda_schedule(self.epochs, 0, self.lambdas)  # fails early on an unsupported count


def lambda_schedule(epochs: int, epoch: int, explicit=None) -> float:
    """lambda for epoch `epoch` (0-based) of an `epochs`-epoch run: the authors' schedules for
    5 (10 * 10^e), 10 (10 * 3^e) and 3 (50 * 50^e) epochs; for any other count >= 2 the
    geometric ramp 10 * 10^(4e / (epochs - 1)) from 10 to 1e5 (the 5-epoch schedule stretched).
    `explicit` (one value per epoch) overrides all of this."""
    if explicit:
        return float(explicit[epoch])
    if epochs == 5:
        return 10.0 * 10.0 ** epoch
    if epochs == 10:
        return 10.0 * 3.0 ** epoch
    if epochs == 3:
        return 50.0 * 50.0 ** epoch
    if epochs >= 2:
        return 10.0 * 10.0 ** (4.0 * epoch / (epochs - 1))
    raise ValueError(f"no lambda schedule for {epochs} epoch(s): use >= 2 epochs or give --lambdas")
