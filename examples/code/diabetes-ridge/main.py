"""A code submission for the diabetes example: ridge regression on the ten features.

The oracles run `python main.py` in this folder with the challenge's files in /in and
write nothing but /out/predictions.csv; COOP_SEED makes any randomness repeatable.
"""

import os

import numpy as np
import pandas as pd
from sklearn.linear_model import RidgeCV

seed = int(os.environ.get("COOP_SEED", "0"))
np.random.seed(seed % 2**32)

train = pd.read_csv("/in/train.csv")
test = pd.read_csv("/in/test_features.csv")
features = [c for c in train.columns if c != "target"]

model = RidgeCV(alphas=np.logspace(-3, 3, 13)).fit(train[features], train["target"])
predictions = pd.DataFrame({"id": test["id"], "prediction": model.predict(test[features])})
predictions.to_csv("/out/predictions.csv", index=False)
print(f"ridge alpha {model.alpha_:g}, {len(test)} predictions written")
