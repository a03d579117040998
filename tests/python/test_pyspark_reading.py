"""The PySpark export reads formatted numbers and dates as mlplay does: the business export of
test_parity_reading (as Excel's "CSV UTF-8") run on Spark in local mode, with the derived date
features, gets the engine's test metrics (linear models within 1 %: Spark scales by the sample
standard deviation; the ridge penalty is left out, as its mapping to Spark's depends on the
sample size and this file is small)."""
import json
import os
import subprocess
import sys

from test_parity_reading import RECIPE, export_rows


def test_pyspark_program_reads_an_export_like_the_engine(tmp_path, mlplay_bin):
    csv = tmp_path / "sales.csv"
    csv.write_bytes(export_rows().replace("\\", "¥").encode("utf-8-sig"))
    recipe = dict(RECIPE, models=[{"kind": "linear_regression"}])
    (tmp_path / "recipe.json").write_text(json.dumps(recipe, ensure_ascii=False),
                                          encoding="utf-8")
    script = subprocess.run([mlplay_bin, "report", "--recipe", str(tmp_path / "recipe.json"),
                             str(csv), "--format", "pyspark"],
                            capture_output=True, text=True, check=True).stdout
    (tmp_path / "recipe_pyspark.py").write_text(script, encoding="utf-8")
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable)
    done = subprocess.run([sys.executable, str(tmp_path / "recipe_pyspark.py")], cwd=tmp_path,
                          capture_output=True, text=True, env=env, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    spark = json.loads((tmp_path / "metrics.json").read_text())
    engine = json.loads(subprocess.run(
        [mlplay_bin, "run", "--recipe", str(tmp_path / "recipe.json"), str(csv), "--json"],
        capture_output=True, text=True, check=True).stdout)["models"]
    assert [m["kind"] for m in spark] == [m["kind"] for m in engine]
    for s, e in zip(spark, engine):
        for k in ("rmse", "mae", "r2"):
            assert abs(s["test"][k] - e["test"][k]) <= 0.01 * abs(e["test"][k]), (
                s["kind"], k, s["test"][k], e["test"][k])
