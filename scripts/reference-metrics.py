#!/usr/bin/env python3
"""Reference values of the metrics in src/metrics, computed independently with scikit-learn.

Prints, for a few fixed label/score vectors, what scikit-learn, numpy and scipy compute, as a
TypeScript literal; src/metrics/reference.test.ts holds a pasted copy and checks the library
against it to 1e-6. Rerun it after changing a vector:

    python3 scripts/reference-metrics.py

It needs a Python with scikit-learn (values pasted come from scikit-learn 1.2.1, numpy 1.24.2
and scipy 1.10.1 as packaged in Debian bookworm: apt-get install python3-sklearn).

What each value is:
- rocAuc: sklearn.metrics.roc_auc_score.
- roc: sklearn.metrics.roc_curve(drop_intermediate=False). scikit-learn 1.2 puts max(score) + 1
  as the first threshold; 1.3 and later put inf, as the library does, so it is replaced by inf.
- pr: sklearn.metrics.precision_recall_curve; averagePrecision: average_precision_score.
- brier: brier_score_loss. logLoss: mean binary cross-entropy with scores clipped to
  [1e-7, 1 - 1e-7] as Keras does, in numpy (sklearn's log_loss clips differently).
- atThreshold: predictions (scores >= threshold); accuracy_score, recall_score (sensitivity),
  precision_score (PPV), f1_score, balanced_accuracy_score; specificity and NPV from
  confusion_matrix; Wilson 95% intervals from scipy.stats.binomtest(...).proportion_ci('wilson').
- youden: argmax of tpr - fpr over roc_curve's points after the first, compared exactly in
  integer counts (tp * negatives - fp * positives); np.argmax keeps the first maximum, which is
  the highest threshold, the library's tie rule.
- sensitivityTargets: the first (highest) roc_curve threshold whose tpr >= target.
- calibration: sklearn.calibration.calibration_curve(strategy='uniform', n_bins=10) gives the
  positive rate and mean score of the non-empty bins; the bin counts come from numpy with the
  same binning (np.searchsorted(np.linspace(0, 1, 11)[1:-1], scores)); ECE = sum of
  count / n * |positive rate - mean score|.
"""

import json
import math
import sys

import numpy as np
import scipy
import scipy.stats
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    balanced_accuracy_score,
    brier_score_loss,
    confusion_matrix,
    f1_score,
    precision_recall_curve,
    precision_score,
    recall_score,
    roc_auc_score,
    roc_curve,
)

CASES = [
    {
        "name": "ties, scores at the threshold",
        "labels": [0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0],
        "scores": [0.1, 0.5, 0.5, 0.9, 0.3, 0.3, 0.7, 0.5, 0.8, 0.2, 0.65, 0.5],
        "threshold": 0.5,
    },
    {
        "name": "imbalanced, 3 positives in 16, ties across classes",
        "labels": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1],
        "scores": [0.0, 0.05, 0.1, 0.1, 0.2, 0.25, 0.3, 0.3, 0.4, 0.45, 0.6, 0.7, 0.3, 0.3, 0.85, 1.0],
        "threshold": 0.3,
    },
    {
        "name": "scores on every bin edge, threshold equal to a score",
        "labels": [0, 0, 0, 1, 0, 0, 1, 0, 1, 1, 1, 0, 1, 1],
        "scores": [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 0.6, 0.3, 0.7],
        "threshold": 0.6,
    },
    {
        # numpy.random.default_rng(20240601): 14 positives ~ Beta(4, 2), 26 negatives ~ Beta(2, 4),
        # rounded to 2 decimals (so with ties), then written out here.
        "name": "realistic, 40 samples",
        "labels": [0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 1,
                   1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0],
        "scores": [0.48, 0.42, 0.28, 0.49, 0.77, 0.35, 0.58, 0.43, 0.44, 0.71, 0.18, 0.7, 0.56, 0.58,
                   0.55, 0.41, 0.3, 0.28, 0.2, 0.82, 0.33, 0.3, 0.42, 0.18, 0.68, 0.26, 0.01, 0.21,
                   0.14, 0.73, 0.5, 0.29, 0.45, 0.34, 0.27, 0.87, 0.61, 0.22, 0.23, 0.12],
        "threshold": 0.5,
    },
]

TARGETS = [0.8, 0.95]
EDGE_BINS = [3, 7, 10]


def floats(xs):
    return [float(x) for x in xs]


def wilson(k, n):
    ci = scipy.stats.binomtest(int(k), int(n)).proportion_ci(confidence_level=0.95, method="wilson")
    return [float(ci.low), float(ci.high)]


def reference(case):
    y = np.array(case["labels"])
    s = np.array(case["scores"], dtype=np.float64)
    t = case["threshold"]
    positives = int(y.sum())
    negatives = int(len(y) - positives)

    fpr, tpr, thresholds = roc_curve(y, s, drop_intermediate=False)
    thresholds = thresholds.copy()
    thresholds[0] = math.inf  # scikit-learn 1.2 has max + 1 here; 1.3+ and the library have inf
    precision, recall, pr_thresholds = precision_recall_curve(y, s)

    p = np.clip(s, 1e-7, 1 - 1e-7)
    log_loss = float(np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p))))

    pred = (s >= t).astype(int)
    tn, fp, fn, tp = (int(v) for v in confusion_matrix(y, pred, labels=[0, 1]).ravel())

    # Youden over the points after the first, in exact integer counts.
    tps = np.rint(tpr[1:] * positives).astype(np.int64)
    fps = np.rint(fpr[1:] * negatives).astype(np.int64)
    j = tps * negatives - fps * positives
    k = int(np.argmax(j))
    youden = {"threshold": float(thresholds[1 + k]), "sensitivity": float(tpr[1 + k]), "specificity": float(1 - fpr[1 + k])}

    targets = []
    for target in TARGETS:
        i = int(np.flatnonzero(tpr[1:] >= target)[0]) + 1
        targets.append({"target": target, "threshold": float(thresholds[i]),
                        "sensitivity": float(tpr[i]), "specificity": float(1 - fpr[i])})

    prob_true, prob_pred = calibration_curve(y, s, n_bins=10, strategy="uniform")
    edges = np.linspace(0.0, 1.0, 11)
    counts = np.bincount(np.searchsorted(edges[1:-1], s), minlength=10)
    nonzero = counts[counts > 0]
    ece = float(np.sum(nonzero / len(s) * np.abs(prob_true - prob_pred)))

    return {
        "name": case["name"],
        "labels": case["labels"],
        "scores": case["scores"],
        "threshold": t,
        "rocAuc": float(roc_auc_score(y, s)),
        "roc": {"fpr": floats(fpr), "tpr": floats(tpr), "thresholds": floats(thresholds)},
        "pr": {"precision": floats(precision), "recall": floats(recall), "thresholds": floats(pr_thresholds)},
        "averagePrecision": float(average_precision_score(y, s)),
        "brier": float(brier_score_loss(y, s)),
        "logLoss": log_loss,
        "atThreshold": {
            "confusionMatrix": {"tp": tp, "fp": fp, "tn": tn, "fn": fn},
            "accuracy": float(accuracy_score(y, pred)),
            "sensitivity": float(recall_score(y, pred)),
            "specificity": tn / (tn + fp),
            "ppv": float(precision_score(y, pred)),
            "npv": tn / (tn + fn),
            "f1": float(f1_score(y, pred)),
            "balancedAccuracy": float(balanced_accuracy_score(y, pred)),
            "wilson": {
                "accuracy": wilson(tp + tn, len(y)),
                "sensitivity": wilson(tp, tp + fn),
                "specificity": wilson(tn, tn + fp),
                "ppv": wilson(tp, tp + fp),
                "npv": wilson(tn, tn + fn),
            },
        },
        "youden": youden,
        "sensitivityTargets": targets,
        "calibration": {
            "counts": [int(c) for c in counts],
            "positiveRate": floats(prob_true),
            "meanScore": floats(prob_pred),
            "ece": ece,
        },
    }


def main():
    out = {
        "versions": {"sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__},
        "binEdges": {str(b): floats(np.linspace(0.0, 1.0, b + 1)) for b in EDGE_BINS},
        "cases": [reference(c) for c in CASES],
    }
    sys.stdout.write("// Printed by scripts/reference-metrics.py (values from scikit-learn, numpy and scipy).\n")
    sys.stdout.write("const REFERENCE = " + to_ts(out) + ";\n")


def to_ts(value, indent=0):
    """A TypeScript literal: objects one key a line, lists on one line, inf as Infinity."""
    pad = "  " * indent
    if isinstance(value, dict):
        items = [f"{pad}  {json.dumps(k) if not k.isidentifier() else k}: {to_ts(v, indent + 1)}," for k, v in value.items()]
        return "{\n" + "\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list):
        return "[" + ", ".join(to_ts(v, indent + 1) for v in value) + "]"
    # json writes floats at full precision (shortest round trip) and inf as Infinity.
    return json.dumps(value)


if __name__ == "__main__":
    main()
