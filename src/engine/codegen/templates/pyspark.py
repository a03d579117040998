"""An mlplay recipe as a PySpark (Spark MLlib) program, exported by mlplay __MLPLAY_VERSION__.

    spark-submit recipe_pyspark.py [DATA.csv]        (or: python recipe_pyspark.py, with pyspark)

It reads the CSV, splits it exactly as mlplay and scikit-learn do (numpy's RandomState
permutation), fits the preprocessing on the training rows with Spark MLlib stages (Imputer,
StandardScaler, StringIndexer, VectorAssembler), fits each model, prints the test metrics and
writes them to metrics.json beside this file, in the shape of `mlplay run --json`'s "models".
Where Spark computes something slightly differently from mlplay, a comment says so.
"""
import datetime
import json
import math
import os
import re
import sys

import numpy as np
from pyspark.ml.classification import (DecisionTreeClassifier, LogisticRegression, NaiveBayes,
                                       RandomForestClassifier)
from pyspark.ml.feature import (Imputer, MinMaxScaler, OneHotEncoder, StandardScaler,
                                StringIndexer, VectorAssembler)
from pyspark.ml.regression import (DecisionTreeRegressor, LinearRegression,
                                   RandomForestRegressor)
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

# The recipe, as mlplay wrote it (every decision of steps 2 to 5).
RECIPE = json.loads(__RECIPE_JSON__)
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, __DATA_PATH__)

# Run locally, Spark's Python workers must use this interpreter (on a cluster, set
# PYSPARK_PYTHON for the executors yourself).
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
spark = SparkSession.builder.appName("mlplay recipe").getOrCreate()
spark.sparkContext.setLogLevel("ERROR")
if spark.sparkContext.master.startswith("local"):
    # On one machine, Spark's default of 200 shuffle partitions is mostly overhead.
    spark.conf.set("spark.sql.shuffle.partitions", "4")


def col(name):
    """A column by name, whatever characters the name holds."""
    return F.col("`" + name.replace("`", "``") + "`")


# 1. Read every cell as text; the recipe's missing-value tokens become null. Columns are
# renamed c0, c1, … (Spark ML stages dislike dots and spaces in names); NAME maps them.
raw = spark.read.csv(DATA, header=True, inferSchema=False, multiLine=True, escape='"')
NAME = {c: f"c{i}" for i, c in enumerate(raw.columns)}
NA = [v for v in RECIPE["na_values"] if v != ""]
df = raw.select([F.when(col(c).isin(NA), None).otherwise(col(c)).alias(NAME[c])
                 for c in raw.columns])
TARGET, TASK = NAME[RECIPE["target"]], RECIPE["task"]

# Numbers written for people, as mlplay reads them: thousands separators, a currency sign or
# a yen suffix, a percent sign (87% is 0.87), full-width digits; and dates (2024-03-05,
# 2024/3/5, 2024年3月5日, with an optional time). The columns in keep_text keep their text.
WIDE = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
WIDE.update({0xFFE5: ord("¥"), 0x3000: ord(" "), 0x2212: ord("-")})
FORMATTED = re.compile(r"([+-]?)\s*(?:([¥\\$])\s*([+-]?)\s*)?"
                       r"(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d+))?\s*(円|%)?")
PLAIN = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?inf(?:inity)?", re.I)
DATE = re.compile(r"(\d{4})(?:([-/])(\d{1,2})\2(\d{1,2})|年(\d{1,2})月(\d{1,2})日)"
                  r"(?:[ T] *(\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?")


def to_number(cell):
    """The number a cell holds, plain or formatted; None for text."""
    if cell is None:
        return None
    text = cell.strip(" \t")
    if PLAIN.fullmatch(text):
        return float(text)
    m = FORMATTED.fullmatch(text.translate(WIDE).strip())
    if m is None:
        return None
    sign, money, sign2, whole, frac, suffix = m.groups()
    if (sign and sign2) or (money and suffix == "円") or (not whole and frac is None):
        return None
    v = float(whole.replace(",", "") + ("." + frac if frac is not None else ""))
    v = -v if "-" in (sign, sign2) else v
    return v / 100 if suffix == "%" else v


def to_iso(cell):
    """The cell as an ISO 8601 date-time; None if it is no date (or a day that does not
    exist)."""
    m = DATE.fullmatch(cell.strip(" \t")) if cell is not None else None
    if m is None:
        return None
    y, _, mo, d, mo2, d2, h, mi, s, frac = m.groups()
    try:
        datetime.datetime(int(y), int(mo or mo2), int(d or d2), int(h or 0), int(mi or 0),
                          int(s or 0))
    except ValueError:
        return None
    iso = f"{y}-{int(mo or mo2):02d}-{int(d or d2):02d}"
    if h is not None:
        iso += f" {int(h):02d}:{mi}:{s or '00'}{frac or ''}"
    return iso


number_udf = F.udf(to_number, T.DoubleType())
iso_udf = F.udf(to_iso, T.StringType())
KEEP = {NAME[c] for c in RECIPE.get("keep_text", []) if c in NAME}


def as_number(c):
    plain = F.expr(f"try_cast({c} AS DOUBLE)")
    return plain if c in KEEP else F.coalesce(plain, number_udf(F.col(c)))


# A column is numeric when every present value is a number (as mlplay and pandas type it),
# a date column when every present value is a date.
counts = df.select([F.count(c).alias("n" + c) for c in df.columns]
                   + [F.count(as_number(c)).alias("d" + c) for c in df.columns]
                   + [F.count(iso_udf(F.col(c))).alias("t" + c) for c in df.columns]).first()
NUMERIC = {c for c in df.columns if counts["n" + c] == counts["d" + c]}
DATES = {c for c in df.columns
         if c not in NUMERIC and counts["n" + c] > 0 and counts["n" + c] == counts["t" + c]}

# Number the rows in file order, then type the numeric columns (a classification target
# stays text: its classes are labels).
schema = T.StructType(df.schema.fields + [T.StructField("__row", T.LongType())])
df = spark.createDataFrame(df.rdd.zipWithIndex().map(lambda p: (*p[0], p[1])), schema)
for c in NUMERIC:
    if not (c == TARGET and TASK == "classification"):
        df = df.withColumn(c, as_number(c))
for c in DATES:
    df = df.withColumn(c, F.to_timestamp(iso_udf(F.col(c))))

# 2. Split as scikit-learn's train_test_split: test = the first ceil(test_size * n) positions
# of numpy's RandomState(random_state).permutation(n), over all rows of the file.
split = {"test_size": 0.3, "shuffle": True, "random_state": 40, "stratify": False}
split.update(RECIPE.get("split", {}))
n = df.count()
n_test = math.ceil(split["test_size"] * n)
if split["stratify"] and TASK == "classification":
    # Stratified: scikit-learn's own StratifiedShuffleSplit on the labels (driver side).
    from sklearn.model_selection import train_test_split
    labelled = [(r["__row"], r[TARGET]) for r in df.select("__row", TARGET).collect()
                if r[TARGET] is not None]
    ids = np.array([r for r, _ in labelled])
    _, test_ids = train_test_split(ids, test_size=split["test_size"],
                                   random_state=split["random_state"],
                                   stratify=[y for _, y in labelled])
elif split["shuffle"]:
    test_ids = np.random.RandomState(split["random_state"]).permutation(n)[:n_test]
else:
    test_ids = np.arange(n - n_test, n)
flags = spark.createDataFrame([(int(i),) for i in test_ids], ["__row"]).withColumn(
    "__test", F.lit(True))
df = df.join(flags, "__row", "left").fillna({"__test": False}).filter(F.col(TARGET).isNotNull())
train, test = df.filter(~F.col("__test")), df.filter(F.col("__test"))
# Training-only filters (for example the outlier cap): rows without a value are dropped.
for f in RECIPE.get("train_filters", []):
    if f.get("min") is not None:
        train = train.filter(F.col(NAME[f["column"]]) >= f["min"])
    if f.get("max") is not None:
        train = train.filter(F.col(NAME[f["column"]]) <= f["max"])
train, test = train.cache(), test.cache()

# 3. Preprocessing, fitted on the training rows only.
excluded = {NAME[c] for c in RECIPE.get("exclude", [])}
features = [NAME[c] for c in raw.columns if NAME[c] != TARGET and NAME[c] not in excluded]
# Each date column becomes the numbers the recipe derives from it, in its place: year, month,
# day of week (Monday 0, as pandas) and whole days since the earliest training date.
PARTS = RECIPE.get("date_parts", ["year", "month", "dayofweek", "days"])
for c in [c for c in features if c in DATES]:
    origin = train.agg(F.min(F.to_date(c))).first()[0]
    derived = []
    if origin is not None:
        exprs = {"year": F.year(c), "month": F.month(c), "dayofweek": (F.dayofweek(c) + 5) % 7,
                 "days": F.datediff(F.to_date(c), F.lit(origin))}
        for part in PARTS:
            name = f"{c}_{part}"
            train = train.withColumn(name, exprs[part].cast("double"))
            test = test.withColumn(name, exprs[part].cast("double"))
            NUMERIC.add(name)
            derived.append(name)
    at = features.index(c)
    features[at:at + 1] = derived
# mlplay's feature order: numeric columns in file order, then the categorical ones sorted by
# their original name (one-hot slots in category order).
ORIGINAL = {v: k for k, v in NAME.items()}
num = [c for c in features if c in NUMERIC]
cat = sorted((c for c in features if c not in NUMERIC), key=lambda c: ORIGINAL[c])
numeric_cfg = {"impute": "median", "scale": "standard"}
numeric_cfg.update(RECIPE.get("numeric", {}))
categorical_cfg = {"impute": "most_frequent", "encode": "ordinal"}
categorical_cfg.update(RECIPE.get("categorical", {}))

stages_out = []
if num:
    if numeric_cfg["impute"] == "constant":
        fill = numeric_cfg.get("fill_value") or 0.0
        train, test = train.fillna(fill, subset=num), test.fillna(fill, subset=num)
    else:
        # Spark's median is an element of the data (mlplay averages the two middle values of
        # an even count); this touches only the imputed cells.
        strategy = {"median": "median", "mean": "mean", "most_frequent": "mode"}[
            numeric_cfg["impute"]]
        imputer = Imputer(strategy=strategy, relativeError=0.0, inputCols=num,
                          outputCols=[c + "_imp" for c in num]).fit(train)
        train, test = imputer.transform(train), imputer.transform(test)
        num = [c + "_imp" for c in num]
    assembled = VectorAssembler(inputCols=num, outputCol="__num")
    train, test = assembled.transform(train), assembled.transform(test)
    scale = numeric_cfg["scale"]
    if scale == "standard":
        # Spark divides by the sample standard deviation (n - 1), mlplay and scikit-learn by
        # the population one (n): every scaled value differs by the factor sqrt(n / (n - 1)).
        scaler = StandardScaler(withMean=True, withStd=True, inputCol="__num",
                                outputCol="__num_scaled").fit(train)
    elif scale == "min_max":
        scaler = MinMaxScaler(inputCol="__num", outputCol="__num_scaled").fit(train)
    else:
        scaler = None
    if scaler is not None:
        train, test = scaler.transform(train), scaler.transform(test)
        stages_out.append("__num_scaled")
    else:
        stages_out.append("__num")

if cat:
    if categorical_cfg["impute"] == "constant":
        fills = {c: categorical_cfg.get("fill_value") or "missing_value" for c in cat}
    else:
        # The most frequent value of the training rows; the smallest among ties (one pass).
        modes = train.agg(*[F.mode(c, deterministic=True).alias(c) for c in cat]).first()
        fills = {c: modes[c] if modes[c] is not None else "missing" for c in cat}
    train, test = train.fillna(fills), test.fillna(fills)
    idx = [f"__idx{i}" for i in range(len(cat))]
    # Categories in code-point order; an unseen one gets index k ("keep").
    indexer = StringIndexer(inputCols=cat, outputCols=idx, stringOrderType="alphabetAsc",
                            handleInvalid="keep").fit(train)
    train, test = indexer.transform(train), indexer.transform(test)
    if categorical_cfg["encode"] == "onehot":
        # dropLast drops the "unknown" slot: an unseen category is all zeros, as in mlplay.
        ohe = OneHotEncoder(inputCols=idx, outputCols=[f"{i}_1h" for i in idx], dropLast=True,
                            handleInvalid="keep").fit(train)
        train, test = ohe.transform(train), ohe.transform(test)
        stages_out += [f"{i}_1h" for i in idx]
    else:
        # The workshop's ordinal codes: known categories 1..k, unknown 0.
        for i, labels in zip(idx, indexer.labelsArray):
            k = len(labels)
            code = F.when(F.col(i) >= k, 0.0).otherwise(F.col(i) + 1.0)
            train, test = train.withColumn(i, code), test.withColumn(i, code)
        stages_out += idx

assembler = VectorAssembler(inputCols=stages_out, outputCol="features")
train, test = assembler.transform(train), assembler.transform(test)
keep = ["features", TARGET]
train, test = train.select(keep).cache(), test.select(keep).cache()

# 4. The target: class indices for classification; for regression optionally standardised
# (linear models only, as in mlplay), predictions transformed back.
if TASK == "classification":
    target_indexer = StringIndexer(inputCol=TARGET, outputCol="label",
                                   stringOrderType="alphabetAsc").fit(train)
    CLASSES = list(target_indexer.labels)
    train, test = target_indexer.transform(train), target_indexer.transform(test)
else:
    CLASSES = []
    train, test = train.withColumn("label", F.col(TARGET)), test.withColumn("label", F.col(TARGET))
    y_mean, y_std = 0.0, 1.0
    if RECIPE.get("target_scale") == "standard":
        s = train.agg(F.mean("label").alias("m"), F.stddev_pop("label").alias("s")).first()
        y_mean, y_std = s["m"], s["s"]
    train = train.withColumn("label_scaled", (F.col("label") - y_mean) / y_std)
n_train = train.count()


def tree_params(m):
    # Spark bins each feature into at most maxBins thresholds and caps the depth at 30.
    return dict(featuresCol="features", labelCol="label",
                maxDepth=min(m["max_depth"] or 30, 30), maxBins=256,
                minInstancesPerNode=m["min_samples_leaf"], seed=m["random_state"])


def forest_params(m):
    frac = m["max_features"]
    return dict(tree_params(m), numTrees=m["n_estimators"],
                featureSubsetStrategy="all" if frac >= 1 else str(frac))


def regressor(m):
    kind = m["kind"]
    # Spark's LinearRegression minimises 1/(2n)·‖y − Xw − b‖² + λ·(ρ·‖w‖₁ + (1 − ρ)/2·‖w‖²):
    # ElasticNet and Lasso map one to one; Ridge's α·‖w‖² (without 1/(2n)) becomes λ = α / n.
    linear = dict(featuresCol="features", labelCol="label_scaled", standardization=False,
                  maxIter=1000, tol=1e-9)
    if kind == "linear_regression":
        return LinearRegression(regParam=0.0, elasticNetParam=0.0, solver="normal", **linear)
    if kind == "ridge":
        return LinearRegression(regParam=m["alpha"] / n_train, elasticNetParam=0.0,
                                solver="normal", **linear)
    if kind == "lasso":
        return LinearRegression(regParam=m["alpha"], elasticNetParam=1.0, **linear)
    if kind == "elastic_net":
        return LinearRegression(regParam=m["alpha"], elasticNetParam=m["l1_ratio"], **linear)
    if kind == "decision_tree":
        return DecisionTreeRegressor(**tree_params(m))
    if kind == "random_forest":
        return RandomForestRegressor(**forest_params(m))
    return None


def classifier(m):
    kind = m["kind"]
    if kind == "logistic_regression":
        # scikit-learn's C·Σ log-loss + ½‖w‖² equals Spark's mean log-loss + λ/2·‖w‖² with
        # λ = 1 / (n·C).
        return LogisticRegression(featuresCol="features", labelCol="label",
                                  regParam=1.0 / (n_train * m["C"]),
                                  elasticNetParam=0.0, standardization=False, maxIter=1000,
                                  tol=1e-10)
    if kind == "gaussian_nb":
        return NaiveBayes(featuresCol="features", labelCol="label", modelType="gaussian")
    if kind == "decision_tree":
        return DecisionTreeClassifier(**tree_params(m))
    if kind == "random_forest":
        return RandomForestClassifier(**forest_params(m))
    return None


def regression_metrics(pred):
    s = pred.select(
        F.avg((F.col("p") - F.col("label")) ** 2).alias("mse"),
        F.avg(F.abs(F.col("p") - F.col("label"))).alias("mae"),
        F.avg(F.abs(F.col("p") - F.col("label"))
              / F.greatest(F.abs(F.col("label")), F.lit(2.220446049250313e-16))).alias("mape"),
        F.avg("label").alias("mean")).first()
    ss_tot = pred.select(F.sum((F.col("label") - s["mean"]) ** 2)).first()[0]
    ss_res = s["mse"] * pred.count()
    return {"rmse": math.sqrt(s["mse"]), "mae": s["mae"], "mape": s["mape"],
            "r2": 1.0 - ss_res / ss_tot}


def classification_metrics(pred):
    k = len(CLASSES)
    confusion = [[0] * k for _ in range(k)]
    for r in pred.groupBy("label", "prediction").count().collect():
        confusion[int(r["label"])][int(r["prediction"])] = r["count"]
    total = sum(map(sum, confusion))
    precision, recall = [], []
    for c in range(k):
        tp = confusion[c][c]
        predicted = sum(confusion[r][c] for r in range(k))
        actual = sum(confusion[c])
        precision.append(tp / predicted if predicted else 0.0)
        recall.append(tp / actual if actual else 0.0)
    f1 = [2 * p * r / (p + r) if p + r else 0.0 for p, r in zip(precision, recall)]
    out = {"accuracy": sum(confusion[c][c] for c in range(k)) / total,
           "precision_macro": sum(precision) / k, "recall_macro": sum(recall) / k,
           "f1_macro": sum(f1) / k, "confusion": confusion}
    if k == 2:
        from pyspark.ml.evaluation import BinaryClassificationEvaluator
        out["roc_auc"] = BinaryClassificationEvaluator(
            labelCol="label", rawPredictionCol="rawPrediction").evaluate(pred)
    return out


results = []
for m in RECIPE.get("models", []):
    params = {k: v for k, v in m.items() if k != "kind"}
    est = classifier(m) if TASK == "classification" else regressor(m)
    if est is None:
        print(f"{m['kind']}: Spark MLlib has no such estimator; skipped")
        results.append({"kind": m["kind"], "params": params, "skipped": True})
        continue
    fitted = est.fit(train)
    pred = fitted.transform(test)
    if TASK == "classification":
        metrics = classification_metrics(pred)
    else:
        linear = m["kind"] in __SCALED_TARGET_KINDS__
        p = F.col("prediction") * y_std + y_mean if linear else F.col("prediction")
        metrics = regression_metrics(pred.withColumn("p", p))
    print(m["kind"], json.dumps({k: v for k, v in metrics.items() if k != "confusion"}))
    results.append({"kind": m["kind"], "params": params, "test": metrics})

with open(os.path.join(HERE, "metrics.json"), "w", encoding="utf-8") as f:
    json.dump(results, f, indent=1)
spark.stop()
