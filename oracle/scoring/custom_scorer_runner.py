"""Runs inside the scorer sandbox, never imported by the oracle: calls the custom scorer.

Usage: python -I runner.py FOLDER. FOLDER holds scorer.py, params.json (with the part names)
and <part>.y_true.npy / <part>.y_pred.npy. The result is /out/result.json:
{"scores": {part: float}} or {"error": text, "kind": "memory" | "exception"}; the oracle
reads it once every process of the run is dead. Whatever the scorer prints is its log.
"""

import importlib.util
import json
import numbers
import os
import sys
import traceback


def main(folder: str) -> int:
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
        _write_result({"scores": scores})
    except BaseException as exc:  # the scorer's fault, whatever it is: report it, exit 1
        traceback.print_exc()
        kind = "memory" if isinstance(exc, MemoryError) else "exception"
        _write_result({"error": f"{type(exc).__name__}: {exc}"[:500], "kind": kind})
        return 1
    return 0


def _write_result(result: dict[str, object]) -> None:
    with open("/out/result.json", "w") as handle:
        json.dump(result, handle)


if __name__ == "__main__":
    code = main(sys.argv[1])
    sys.stdout.flush()
    os._exit(code)  # skip the scorer's atexit handlers
