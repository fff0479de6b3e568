"""Code submissions: a folder with main.py, run in the sandbox on a challenge's inputs.

inputs = input_files(spec, fetch)                 # /in/train.csv, /in/test_features.csv, ...
result = run_code(folder, spec, inputs, runtime, seed)
result.status, result.reason, result.predictions  # predictions are then scored as a file
"""

from oracle.coderun.folder import check_code_folder
from oracle.coderun.inputs import input_files, input_name
from oracle.coderun.run import CodeRun, code_seed, run_code

__all__ = ["CodeRun", "check_code_folder", "code_seed", "input_files", "input_name", "run_code"]
