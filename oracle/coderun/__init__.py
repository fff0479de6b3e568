"""Code submissions: a folder with main.py, run in the sandbox on a challenge's inputs.

    files = sandbox_files(fetch_inputs(spec, fetch))  # /in/train.csv, /in/test_features.csv, ...
    run = run_code(folder, limits, files, runtime, seed, max_folder_bytes)
    run.status, run.reason, run.predictions           # predictions are then scored as a file

or, as an oracle: score_code(spec, holdout, store, cid, runtime_dir, seed) (coderun/score.py).
"""

from oracle.coderun.folder import check_code_folder
from oracle.coderun.inputs import InputFile, fetch_inputs, input_name, sandbox_files
from oracle.coderun.run import CodeRun, code_seed, run_code

__all__ = [
    "CodeRun",
    "InputFile",
    "check_code_folder",
    "code_seed",
    "fetch_inputs",
    "input_name",
    "run_code",
    "sandbox_files",
]
