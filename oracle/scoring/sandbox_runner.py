"""Runs inside the scorer sandbox, never imported by the oracle: calls the custom scorer.

Usage: python -I runner.py FOLDER. FOLDER holds scorer.py, params.json (with the part names)
and <part>.y_true.npy / <part>.y_pred.npy. The result is one JSON line on the original
stdout: {"scores": {part: float}} or {"error": text, "kind": "memory" | "exception"};
whatever the scorer prints goes to stderr.
"""

import importlib.util
import json
import numbers
import os
import sys
import traceback


def main(folder: str) -> int:
    result = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    try:
        import numpy as np

        with open(os.path.join(folder, "params.json")) as handle:
            manifest = json.load(handle)
        spec = importlib.util.spec_from_file_location("scorer", os.path.join(folder, "scorer.py"))
        if spec is None or spec.loader is None:
            raise ImportError("scorer.py cannot be loaded")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        scores = {}
        for part in manifest["parts"]:
            y_true = np.load(os.path.join(folder, f"{part}.y_true.npy"), allow_pickle=False)
            y_pred = np.load(os.path.join(folder, f"{part}.y_pred.npy"), allow_pickle=False)
            value = module.score(y_true, y_pred, **manifest["params"])
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise TypeError(f"score() returned {type(value).__name__}, not a number")
            scores[part] = float(value)
        result.write(json.dumps({"scores": scores}) + "\n")
    except BaseException as exc:  # the scorer's fault, whatever it is: report it, exit 1
        traceback.print_exc()
        kind = "memory" if isinstance(exc, MemoryError) else "exception"
        result.write(json.dumps({"error": f"{type(exc).__name__}: {exc}"[:500], "kind": kind}))
        result.write("\n")
        result.flush()
        return 1
    result.flush()
    return 0


if __name__ == "__main__":
    sys.stdout.flush()
    os._exit(main(sys.argv[1]))  # skip the scorer's atexit handlers
