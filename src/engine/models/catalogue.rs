//! The model catalogue: every model kind the recipe knows, the task(s) it serves, its
//! scikit-learn class, and each hyperparameter with its range and its one default. The recipe's
//! defaults and validation, the Train page's inputs, the report and both code generators read
//! it from here. Display texts live outside the engine, keyed by kind and parameter name.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer};

use crate::engine::pipeline::recipe::ModelSpec;
use crate::engine::Task;

pub use crate::engine::error::{Allowed, Bound};

/// A hyperparameter: its recipe name (which is scikit-learn's), type, range and default.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Param {
    pub name: &'static str,
    /// Whole numbers only.
    pub integer: bool,
    pub min: Option<Bound>,
    pub max: Option<Bound>,
    /// Whether `null` is allowed, meaning "no limit" (scikit-learn's `None`).
    pub nullable: bool,
    /// The default; `None` is `null`.
    pub default: Option<f64>,
    /// Shown in the model's short name (the report's captions).
    pub headline: bool,
}

impl Param {
    const fn float(name: &'static str, default: f64) -> Param {
        Param {
            name,
            integer: false,
            min: None,
            max: None,
            nullable: false,
            default: Some(default),
            headline: false,
        }
    }

    const fn int(name: &'static str, default: f64) -> Param {
        Param {
            integer: true,
            ..Param::float(name, default)
        }
    }

    const fn at_least(self, value: f64) -> Param {
        Param {
            min: Some(Bound {
                value,
                inclusive: true,
            }),
            ..self
        }
    }

    const fn above(self, value: f64) -> Param {
        Param {
            min: Some(Bound {
                value,
                inclusive: false,
            }),
            ..self
        }
    }

    const fn at_most(self, value: f64) -> Param {
        Param {
            max: Some(Bound {
                value,
                inclusive: true,
            }),
            ..self
        }
    }

    /// `null` ("no limit") allowed, and the default.
    const fn unlimited(self) -> Param {
        Param {
            nullable: true,
            default: None,
            ..self
        }
    }

    const fn headline(self) -> Param {
        Param {
            headline: true,
            ..self
        }
    }

    /// The same parameter, left out of the model's short name.
    const fn plain(self) -> Param {
        Param {
            headline: false,
            ..self
        }
    }

    /// The values this parameter allows.
    pub const fn allowed(&self) -> Allowed {
        Allowed {
            integer: self.integer,
            min: self.min,
            max: self.max,
            nullable: self.nullable,
        }
    }

    /// Whether `value` (None for `null`) is allowed.
    pub fn allows(&self, value: Option<f64>) -> bool {
        self.allowed().allows(value)
    }
}

/// A model kind.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Model {
    /// The recipe's `kind`.
    pub kind: &'static str,
    /// The scikit-learn class for a regression task, if the model serves one.
    pub regressor: Option<&'static str>,
    /// The scikit-learn class for a classification task, if the model serves one.
    pub classifier: Option<&'static str>,
    /// The scikit-learn module both classes live in.
    pub module: &'static str,
    /// Fitted on the standardised target when the recipe's `target_scale` is `standard`.
    pub scaled_target: bool,
    pub params: &'static [Param],
}

impl Model {
    /// Whether the model can serve `task`.
    pub fn serves(&self, task: Task) -> bool {
        self.sklearn(task).is_some()
    }

    /// The scikit-learn class for `task`.
    pub fn sklearn(&self, task: Task) -> Option<&'static str> {
        match task {
            Task::Regression => self.regressor,
            Task::Classification => self.classifier,
        }
    }

    /// The tasks the model serves.
    pub fn tasks(&self) -> Vec<Task> {
        [Task::Regression, Task::Classification]
            .into_iter()
            .filter(|t| self.serves(*t))
            .collect()
    }

    /// The parameter named `name`.
    pub fn param(&self, name: &str) -> Option<&'static Param> {
        self.params.iter().find(|p| p.name == name)
    }
}

const ALPHA: Param = Param::float("alpha", 1.0).at_least(0.0).headline();
const MAX_DEPTH: Param = Param::int("max_depth", 0.0)
    .at_least(1.0)
    .unlimited()
    .headline();
const MIN_SAMPLES_LEAF: Param = Param::int("min_samples_leaf", 1.0).at_least(1.0);
/// scikit-learn takes seeds below 2³².
const RANDOM_STATE: Param = Param::int("random_state", 0.0)
    .at_least(0.0)
    .at_most(4_294_967_295.0);

/// Every model kind, in the order the Train page lists them.
pub const MODELS: &[Model] = &[
    Model {
        kind: "linear_regression",
        regressor: Some("LinearRegression"),
        classifier: None,
        module: "sklearn.linear_model",
        scaled_target: true,
        params: &[],
    },
    Model {
        kind: "ridge",
        regressor: Some("Ridge"),
        classifier: None,
        module: "sklearn.linear_model",
        scaled_target: true,
        params: &[ALPHA],
    },
    Model {
        kind: "lasso",
        regressor: Some("Lasso"),
        classifier: None,
        module: "sklearn.linear_model",
        scaled_target: true,
        params: &[ALPHA],
    },
    Model {
        kind: "elastic_net",
        regressor: Some("ElasticNet"),
        classifier: None,
        module: "sklearn.linear_model",
        scaled_target: true,
        params: &[
            ALPHA,
            // The workshop's value: mostly ridge, a little lasso.
            Param::float("l1_ratio", 0.05)
                .at_least(0.0)
                .at_most(1.0)
                .headline(),
        ],
    },
    Model {
        kind: "logistic_regression",
        regressor: None,
        classifier: Some("LogisticRegression"),
        module: "sklearn.linear_model",
        scaled_target: false,
        params: &[Param::float("C", 1.0).above(0.0).headline()],
    },
    Model {
        kind: "gaussian_nb",
        regressor: None,
        classifier: Some("GaussianNB"),
        module: "sklearn.naive_bayes",
        scaled_target: false,
        params: &[],
    },
    Model {
        kind: "decision_tree",
        regressor: Some("DecisionTreeRegressor"),
        classifier: Some("DecisionTreeClassifier"),
        module: "sklearn.tree",
        scaled_target: false,
        params: &[MAX_DEPTH, MIN_SAMPLES_LEAF, RANDOM_STATE],
    },
    Model {
        kind: "random_forest",
        regressor: Some("RandomForestRegressor"),
        classifier: Some("RandomForestClassifier"),
        module: "sklearn.ensemble",
        scaled_target: false,
        params: &[
            Param::int("n_estimators", 100.0)
                .at_least(1.0)
                .at_most(1000.0)
                .headline(),
            MAX_DEPTH.plain(),
            MIN_SAMPLES_LEAF,
            // A fraction of the columns.
            Param::float("max_features", 1.0).above(0.0).at_most(1.0),
            RANDOM_STATE,
        ],
    },
    Model {
        kind: "k_neighbors",
        regressor: Some("KNeighborsRegressor"),
        classifier: Some("KNeighborsClassifier"),
        module: "sklearn.neighbors",
        scaled_target: false,
        params: &[Param::int("n_neighbors", 5.0).at_least(1.0).headline()],
    },
];

/// The model kind `kind`.
pub fn model(kind: &str) -> Option<&'static Model> {
    MODELS.iter().find(|m| m.kind == kind)
}

/// The range of one catalogue parameter. Panics on a kind or name not in the catalogue: for
/// code and tests that name a parameter literally.
pub fn allowed(kind: &str, param: &str) -> Allowed {
    model(kind)
        .and_then(|m| m.param(param))
        .unwrap_or_else(|| panic!("{kind}.{param} is not in the catalogue"))
        .allowed()
}

/// The kinds that serve `task`, in catalogue order.
pub fn models_for(task: Task) -> impl Iterator<Item = &'static Model> {
    MODELS.iter().filter(move |m| m.serves(task))
}

/// A number as the page, the report and Python print it: `1`, `0.05`, `None`.
pub fn format_value(value: Option<f64>) -> String {
    match value {
        Some(v) => v.to_string(),
        None => "None".into(),
    }
}

impl ModelSpec {
    /// The model's catalogue entry.
    pub fn info(&self) -> &'static Model {
        model(self.kind()).expect("every ModelSpec kind is in the catalogue")
    }

    /// The model `kind` with every parameter at its catalogue default.
    pub fn default_for(kind: &str) -> Option<ModelSpec> {
        let info = model(kind)?;
        let mut spec = match kind {
            "linear_regression" => ModelSpec::LinearRegression,
            "ridge" => ModelSpec::Ridge { alpha: 0.0 },
            "lasso" => ModelSpec::Lasso { alpha: 0.0 },
            "elastic_net" => ModelSpec::ElasticNet {
                alpha: 0.0,
                l1_ratio: 0.0,
            },
            "logistic_regression" => ModelSpec::LogisticRegression { c: 0.0 },
            "gaussian_nb" => ModelSpec::GaussianNb,
            "decision_tree" => ModelSpec::DecisionTree {
                max_depth: None,
                min_samples_leaf: 0,
                random_state: 0,
            },
            "random_forest" => ModelSpec::RandomForest {
                n_estimators: 0,
                max_depth: None,
                min_samples_leaf: 0,
                max_features: 0.0,
                random_state: 0,
            },
            "k_neighbors" => ModelSpec::KNeighbors { n_neighbors: 0 },
            _ => return None,
        };
        for p in info.params {
            spec.set(p.name, p.default);
        }
        Some(spec)
    }

    /// The value of parameter `name` (`Some(None)` is `null`); `None` if the model has no
    /// such parameter.
    pub fn get(&self, name: &str) -> Option<Option<f64>> {
        use ModelSpec::*;
        let v = match (self, name) {
            (Ridge { alpha } | Lasso { alpha } | ElasticNet { alpha, .. }, "alpha") => *alpha,
            (ElasticNet { l1_ratio, .. }, "l1_ratio") => *l1_ratio,
            (LogisticRegression { c }, "C") => *c,
            (DecisionTree { max_depth, .. } | RandomForest { max_depth, .. }, "max_depth") => {
                return Some(max_depth.map(f64::from))
            }
            (
                DecisionTree {
                    min_samples_leaf, ..
                }
                | RandomForest {
                    min_samples_leaf, ..
                },
                "min_samples_leaf",
            ) => f64::from(*min_samples_leaf),
            (
                DecisionTree { random_state, .. } | RandomForest { random_state, .. },
                "random_state",
            ) => *random_state as f64,
            (RandomForest { n_estimators, .. }, "n_estimators") => f64::from(*n_estimators),
            (RandomForest { max_features, .. }, "max_features") => *max_features,
            (KNeighbors { n_neighbors }, "n_neighbors") => f64::from(*n_neighbors),
            _ => return None,
        };
        Some(Some(v))
    }

    /// Set parameter `name` to `value` (`None`: `null` where allowed). Whole-number parameters
    /// take the nearest whole number not below 0; a `null` for a parameter that needs a value
    /// is ignored. Returns whether the model has such a parameter.
    pub fn set(&mut self, name: &str, value: Option<f64>) -> bool {
        use ModelSpec::*;
        let whole = |v: f64| v.max(0.0).round().min(f64::from(u32::MAX)) as u32;
        if value.is_none() {
            return match (self, name) {
                (DecisionTree { max_depth, .. } | RandomForest { max_depth, .. }, "max_depth") => {
                    *max_depth = None;
                    true
                }
                (spec, name) => spec.get(name).is_some(),
            };
        }
        let v = value.unwrap_or_default();
        match (self, name) {
            (Ridge { alpha } | Lasso { alpha } | ElasticNet { alpha, .. }, "alpha") => *alpha = v,
            (ElasticNet { l1_ratio, .. }, "l1_ratio") => *l1_ratio = v,
            (LogisticRegression { c }, "C") => *c = v,
            (DecisionTree { max_depth, .. } | RandomForest { max_depth, .. }, "max_depth") => {
                *max_depth = Some(whole(v))
            }
            (
                DecisionTree {
                    min_samples_leaf, ..
                }
                | RandomForest {
                    min_samples_leaf, ..
                },
                "min_samples_leaf",
            ) => *min_samples_leaf = whole(v),
            (
                DecisionTree { random_state, .. } | RandomForest { random_state, .. },
                "random_state",
            ) => *random_state = v.max(0.0).round() as u64,
            (RandomForest { n_estimators, .. }, "n_estimators") => *n_estimators = whole(v),
            (RandomForest { max_features, .. }, "max_features") => *max_features = v,
            (KNeighbors { n_neighbors }, "n_neighbors") => *n_neighbors = whole(v),
            _ => return false,
        }
        true
    }

    /// Every parameter with its value, in catalogue order.
    pub fn param_values(&self) -> Vec<(&'static Param, Option<f64>)> {
        self.info()
            .params
            .iter()
            .map(|p| (p, self.get(p.name).flatten()))
            .collect()
    }

    /// Every parameter outside its range: (parameter name, message naming model and field).
    pub fn param_problems(&self) -> Vec<(&'static str, String)> {
        self.param_values()
            .into_iter()
            .filter(|(p, v)| !p.allows(*v))
            .map(|(p, v)| {
                (
                    p.name,
                    format!(
                        "{}: {} must be {}, not {}",
                        self.kind(),
                        p.name,
                        p.allowed(),
                        format_value(v)
                    ),
                )
            })
            .collect()
    }

    /// The parameters as scikit-learn keyword arguments: `alpha=1.0, l1_ratio=0.05`
    /// (`headline_only`: just those in the model's short name).
    pub fn params_text(&self, headline_only: bool) -> String {
        self.param_values()
            .into_iter()
            .filter(|(p, _)| p.headline || !headline_only)
            .map(|(p, v)| format!("{}={}", p.name, format_value(v)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl<'de> Deserialize<'de> for ModelSpec {
    /// `{"kind": …, parameter: value, …}`: a missing parameter takes the catalogue default; an
    /// unknown kind or field, or a value the parameter's type cannot hold, is an error that
    /// names the model and the field. Values out of range but representable (say
    /// `"n_estimators": 0`) are read, and refused by the recipe's validation.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if !d.is_human_readable() {
            // The worker's binary messages carry a model as its JSON text.
            let text = String::deserialize(d)?;
            return serde_json::from_str(&text).map_err(D::Error::custom);
        }
        let value = serde_json::Value::deserialize(d)?;
        let serde_json::Value::Object(map) = value else {
            return Err(D::Error::custom(format!(
                "a model is an object such as {{\"kind\": \"ridge\"}}, not {value}"
            )));
        };
        let kinds = || MODELS.iter().map(|m| m.kind).collect::<Vec<_>>().join(", ");
        let kind = match map.get("kind") {
            Some(serde_json::Value::String(k)) => k.as_str(),
            Some(other) => {
                return Err(D::Error::custom(format!(
                    "model kind {other} is not one of {}",
                    kinds()
                )))
            }
            None => return Err(D::Error::custom("missing field `kind` in a model")),
        };
        let (Some(info), Some(mut spec)) = (model(kind), ModelSpec::default_for(kind)) else {
            return Err(D::Error::custom(format!(
                "unknown model kind `{kind}`, expected one of {}",
                kinds()
            )));
        };
        for (name, v) in &map {
            if name == "kind" {
                continue;
            }
            let Some(p) = info.param(name) else {
                let names: Vec<&str> = info.params.iter().map(|p| p.name).collect();
                return Err(D::Error::custom(format!(
                    "unknown field `{name}` in model `{kind}`, expected {}",
                    if names.is_empty() {
                        "none".to_string()
                    } else {
                        format!("one of {}", names.join(", "))
                    }
                )));
            };
            let x = match v {
                serde_json::Value::Null if p.nullable => None,
                serde_json::Value::Number(n) => n.as_f64(),
                _ => Some(f64::NAN),
            };
            spec.set(name, x);
            // Whole numbers must be whole and fit their type; any number fits a float.
            let held = spec.get(name).flatten();
            if x.is_some_and(|x| !x.is_finite()) || (x.is_some() && held != x) {
                return Err(D::Error::custom(format!(
                    "{kind}: {name} must be {}, not {v}",
                    p.allowed()
                )));
            }
        }
        Ok(spec)
    }
}

/// The Python lines the notebook uses to build estimators: the imports of every class, and
/// `ESTIMATORS`, a dict from kind to a dict from task to class.
pub fn sklearn_python() -> String {
    let mut modules: Vec<(&str, Vec<&str>)> = Vec::new();
    for m in MODELS {
        let classes = m.regressor.into_iter().chain(m.classifier);
        match modules.iter_mut().find(|(name, _)| *name == m.module) {
            Some((_, list)) => list.extend(classes),
            None => modules.push((m.module, classes.collect())),
        }
    }
    modules.sort();
    let mut out = String::new();
    for (module, mut classes) in modules {
        classes.sort();
        classes.dedup();
        out.push_str(&format!("from {module} import {}\n", classes.join(", ")));
    }
    out.push_str("ESTIMATORS = {\n");
    for m in MODELS {
        let tasks: Vec<String> = [
            ("regression", m.regressor),
            ("classification", m.classifier),
        ]
        .into_iter()
        .filter_map(|(t, c)| c.map(|c| format!("\"{t}\": {c}")))
        .collect();
        out.push_str(&format!("    \"{}\": {{{}}},\n", m.kind, tasks.join(", ")));
    }
    out.push('}');
    out
}

/// The kinds fitted on the standardised target, as a Python set literal.
pub fn scaled_target_kinds_python() -> String {
    let kinds: Vec<String> = MODELS
        .iter()
        .filter(|m| m.scaled_target)
        .map(|m| format!("\"{}\"", m.kind))
        .collect();
    format!("{{{}}}", kinds.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::pipeline::recipe::Recipe;

    #[test]
    fn every_default_spec_has_its_kind_and_validates() {
        for m in MODELS {
            let spec = ModelSpec::default_for(m.kind).unwrap();
            assert_eq!(spec.kind(), m.kind);
            assert!(spec.param_problems().is_empty(), "{m:?}");
            assert!(!m.tasks().is_empty());
            for t in m.tasks() {
                assert!(spec.fits(t));
            }
            // The spec has exactly the catalogue's parameters.
            let json = serde_json::to_value(&spec).unwrap();
            let mut keys: Vec<&str> = json
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .filter(|k| *k != "kind")
                .collect();
            let mut names: Vec<&str> = m.params.iter().map(|p| p.name).collect();
            keys.sort();
            names.sort();
            assert_eq!(keys, names, "{}", m.kind);
        }
        assert!(ModelSpec::default_for("svm").is_none());
    }

    #[test]
    fn serde_defaults_are_the_catalogue_defaults() {
        for m in MODELS {
            let minimal: ModelSpec =
                serde_json::from_str(&format!(r#"{{"kind": "{}"}}"#, m.kind)).unwrap();
            for p in m.params {
                assert_eq!(
                    minimal.get(p.name),
                    Some(p.default),
                    "{}.{}",
                    m.kind,
                    p.name
                );
            }
            assert_eq!(Some(minimal), ModelSpec::default_for(m.kind));
        }
    }

    #[test]
    fn tasks_and_scikit_learn_classes() {
        let en = model("elastic_net").unwrap();
        assert_eq!(en.tasks(), vec![Task::Regression]);
        assert_eq!(en.sklearn(Task::Regression), Some("ElasticNet"));
        assert_eq!(en.param("l1_ratio").unwrap().default, Some(0.05));
        let forest = model("random_forest").unwrap();
        assert_eq!(
            forest.sklearn(Task::Classification),
            Some("RandomForestClassifier")
        );
        assert_eq!(
            model("gaussian_nb").unwrap().tasks(),
            vec![Task::Classification]
        );
        let kinds: Vec<&str> = models_for(Task::Classification).map(|m| m.kind).collect();
        assert_eq!(
            kinds,
            [
                "logistic_regression",
                "gaussian_nb",
                "decision_tree",
                "random_forest",
                "k_neighbors"
            ]
        );
    }

    /// A value just outside each side of the range, and a fraction for whole numbers.
    fn outside(p: &Param) -> Vec<f64> {
        let mut out = Vec::new();
        if let Some(b) = p.min {
            out.push(if b.inclusive { b.value - 1.0 } else { b.value });
        }
        if let Some(b) = p.max {
            out.push(if b.inclusive { b.value + 1.0 } else { b.value });
        }
        if p.integer {
            out.push(2.5);
        }
        out
    }

    #[test]
    fn out_of_range_values_are_refused_with_model_and_field_named() {
        let table = crate::engine::load(
            b"a,y\n1,1\n2,2\n3,3\n4,4\n5,5\n6,6\n".as_slice(),
            &Default::default(),
        )
        .unwrap()
        .table;
        let mut checked = 0;
        for m in MODELS {
            for p in m.params {
                assert!(p.allows(p.default));
                for bad in outside(p) {
                    // Through the recipe's JSON, as a user would write it. Negative or
                    // fractional whole numbers do not even parse into the spec.
                    let json = format!(
                        r#"{{"version": 1, "target": "y", "task": "{}", "models": [{{"kind": "{}", "{}": {}}}]}}"#,
                        if m.serves(Task::Regression) {
                            "regression"
                        } else {
                            "classification"
                        },
                        m.kind,
                        p.name,
                        bad
                    );
                    let problems: Vec<String> = match Recipe::from_json(&json) {
                        Ok(r) => r
                            .validate(&table)
                            .into_iter()
                            .filter(|q| q.field.starts_with("models"))
                            .map(|q| format!("{}: {}", q.field, q.issue))
                            .collect(),
                        Err(e) => vec![e.to_string()],
                    };
                    assert!(
                        problems.iter().any(|q| q.contains(p.name)),
                        "{}.{}={bad}: {problems:?}",
                        m.kind,
                        p.name
                    );
                    if let Some(q) = problems.iter().find(|q| q.starts_with("models[0]")) {
                        assert!(
                            q.starts_with(&format!("models[0]: {} must be", p.name)),
                            "{q}"
                        );
                    }
                    // And on the spec itself, as the page sets it.
                    if p.allows(Some(bad.abs())) || !p.integer {
                        let mut spec = ModelSpec::default_for(m.kind).unwrap();
                        spec.set(p.name, Some(bad));
                        if spec.get(p.name) == Some(Some(bad)) {
                            let problems = spec.param_problems();
                            assert_eq!(problems.len(), 1, "{problems:?}");
                            assert_eq!(problems[0].0, p.name);
                            assert!(problems[0].1.contains(m.kind));
                        }
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked >= 20, "{checked}");
        // null only where allowed.
        assert!(model("decision_tree")
            .unwrap()
            .param("max_depth")
            .unwrap()
            .allows(None));
        assert!(!model("ridge").unwrap().param("alpha").unwrap().allows(None));
        assert!(!model("ridge")
            .unwrap()
            .param("alpha")
            .unwrap()
            .allows(Some(f64::NAN)));
    }

    #[test]
    fn set_and_get_round_trip_and_params_read_like_scikit_learn() {
        let mut f = ModelSpec::default_for("random_forest").unwrap();
        assert!(f.set("n_estimators", Some(20.4)));
        assert!(f.set("max_depth", Some(6.0)));
        assert_eq!(f.get("n_estimators"), Some(Some(20.0)));
        assert_eq!(
            f.params_text(false),
            "n_estimators=20, max_depth=6, min_samples_leaf=1, max_features=1, random_state=0"
        );
        assert_eq!(f.params_text(true), "n_estimators=20");
        assert!(f.set("max_depth", None));
        assert_eq!(f.get("max_depth"), Some(None));
        assert!(!f.set("alpha", Some(1.0)));
        assert_eq!(f.get("alpha"), None);
        let en = ModelSpec::default_for("elastic_net").unwrap();
        assert_eq!(en.params_text(true), "alpha=1, l1_ratio=0.05");
    }

    #[test]
    fn python_names_every_class_and_the_linear_kinds() {
        let py = sklearn_python();
        assert!(py.contains("from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge\n"));
        assert!(py.contains(
            "\"decision_tree\": {\"regression\": DecisionTreeRegressor, \"classification\": DecisionTreeClassifier},"
        ));
        assert!(py.contains("\"gaussian_nb\": {\"classification\": GaussianNB},"));
        assert_eq!(
            scaled_target_kinds_python(),
            r#"{"linear_regression", "ridge", "lasso", "elastic_net"}"#
        );
    }
}
