//! The whole workshop state as plain data, the actions that change it, and `apply()`, the one
//! place where a change invalidates what depended on the old state. No yew here: native-tested.

use std::fmt;
use std::ops::Deref;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use crate::engine::reader::{parse_na_list, DEFAULT_NA_VALUES};
use crate::engine::summary::{self, Describe, Info};
use crate::engine::{Error, LoadOptions, Loaded};
use crate::i18n::Lang;

/// A large value shared between states; equality is identity, so comparing states is cheap.
pub struct Shared<T>(Rc<T>);

impl<T> Shared<T> {
    pub fn new(v: T) -> Self {
        Shared(Rc::new(v))
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Rc::clone(&self.0))
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Shared(..)")
    }
}

/// Where the current data came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DataSource {
    /// A bundled dataset, by its catalogue id.
    Bundled(String),
    /// A file the learner opened or dropped.
    File { name: String, bytes: u64 },
}

impl DataSource {
    /// A short name to show.
    pub fn label(&self) -> String {
        match self {
            DataSource::Bundled(id) => crate::datasets::find(id)
                .map(|b| b.file.to_string())
                .unwrap_or_else(|| id.clone()),
            DataSource::File { name, .. } => name.clone(),
        }
    }
}

/// What the reader settings are, as the learner typed them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadSettings {
    /// Missing-value tokens, comma-separated.
    pub na_text: String,
    /// A WHATWG encoding label, or None to detect.
    pub encoding: Option<String>,
    /// `,` `;` or tab, or None to sniff.
    pub delimiter: Option<u8>,
}

impl Default for ReadSettings {
    fn default() -> Self {
        ReadSettings {
            na_text: default_na_text(),
            encoding: None,
            delimiter: None,
        }
    }
}

/// The default missing-value tokens as an editable comma-separated list.
pub fn default_na_text() -> String {
    DEFAULT_NA_VALUES
        .iter()
        .filter(|t| !t.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(", ")
}

impl ReadSettings {
    /// The engine options these settings stand for.
    pub fn to_options(&self) -> LoadOptions {
        LoadOptions {
            na_values: parse_na_list(&self.na_text),
            delimiter: self.delimiter,
            encoding: self.encoding.clone(),
            ..LoadOptions::default()
        }
    }
}

/// A parsed file with its summaries, as produced by [`parse`] (in a worker or on the page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parsed {
    pub loaded: Loaded,
    pub info: Info,
    pub describe: Describe,
}

/// Parse bytes and summarise them.
pub fn parse(
    bytes: &[u8],
    opts: &LoadOptions,
    progress: &mut dyn FnMut(f64),
) -> Result<Parsed, Error> {
    let loaded = crate::engine::load_with_progress(bytes, opts, progress)?;
    let info = summary::info(&loaded.table);
    let describe = summary::describe(&loaded.table);
    Ok(Parsed {
        loaded,
        info,
        describe,
    })
}

/// The dataset in use.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    pub source: DataSource,
    pub parsed: Shared<Parsed>,
    /// Milliseconds spent parsing and summarising, as measured by the caller.
    pub parse_ms: f64,
}

/// Whether a file is being read, and how far.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum LoadStatus {
    #[default]
    Idle,
    Loading {
        run: u64,
        source: DataSource,
        progress: f64,
    },
    Failed {
        source: DataSource,
        error: Error,
    },
    Cancelled,
}

/// Everything the app knows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Session {
    pub lang: Lang,
    pub read: ReadSettings,
    pub dataset: Option<Dataset>,
    pub status: LoadStatus,
}

/// Every change to a [`Session`].
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    SetLang(Lang),
    SetReadSettings(ReadSettings),
    /// A read starts; `run` must grow with every start so that late results can be told apart.
    StartLoad {
        run: u64,
        source: DataSource,
    },
    Progress {
        run: u64,
        fraction: f64,
    },
    Loaded {
        run: u64,
        parsed: Shared<Parsed>,
        parse_ms: f64,
    },
    Failed {
        run: u64,
        error: Error,
    },
    Cancel,
    DismissError,
}

impl Session {
    /// A fresh session in `lang`.
    pub fn new(lang: Lang) -> Self {
        Session {
            lang,
            ..Session::default()
        }
    }

    /// The run of the read in progress, if any.
    pub fn loading_run(&self) -> Option<u64> {
        match self.status {
            LoadStatus::Loading { run, .. } => Some(run),
            _ => None,
        }
    }

    /// Apply one action. Results of a read that is no longer the current one are dropped here.
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::SetLang(lang) => self.lang = lang,
            Action::SetReadSettings(read) => self.read = read,
            Action::StartLoad { run, source } => {
                self.status = LoadStatus::Loading {
                    run,
                    source,
                    progress: 0.0,
                }
            }
            Action::Progress { run, fraction } => {
                if let LoadStatus::Loading {
                    run: current,
                    progress,
                    ..
                } = &mut self.status
                {
                    if *current == run {
                        *progress = fraction.clamp(*progress, 1.0);
                    }
                }
            }
            Action::Loaded {
                run,
                parsed,
                parse_ms,
            } => {
                if self.loading_run() == Some(run) {
                    let LoadStatus::Loading { source, .. } =
                        std::mem::replace(&mut self.status, LoadStatus::Idle)
                    else {
                        unreachable!("loading_run() matched Loading")
                    };
                    // A new dataset replaces everything derived from the old one.
                    self.dataset = Some(Dataset {
                        source,
                        parsed,
                        parse_ms,
                    });
                }
            }
            Action::Failed { run, error } => {
                if self.loading_run() == Some(run) {
                    let LoadStatus::Loading { source, .. } =
                        std::mem::replace(&mut self.status, LoadStatus::Idle)
                    else {
                        unreachable!("loading_run() matched Loading")
                    };
                    // The previous dataset stays usable after a failed read.
                    self.status = LoadStatus::Failed { source, error };
                }
            }
            Action::Cancel => {
                if self.loading_run().is_some() {
                    self.status = LoadStatus::Cancelled;
                }
            }
            Action::DismissError => {
                if matches!(
                    self.status,
                    LoadStatus::Failed { .. } | LoadStatus::Cancelled
                ) {
                    self.status = LoadStatus::Idle;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(csv: &str) -> Shared<Parsed> {
        Shared::new(parse(csv.as_bytes(), &LoadOptions::default(), &mut |_| {}).unwrap())
    }

    fn file(name: &str) -> DataSource {
        DataSource::File {
            name: name.into(),
            bytes: 1,
        }
    }

    #[test]
    fn loaded_result_replaces_dataset() {
        let mut s = Session::new(Lang::Ja);
        s.apply(Action::StartLoad {
            run: 1,
            source: file("a.csv"),
        });
        s.apply(Action::Progress {
            run: 1,
            fraction: 0.5,
        });
        assert!(matches!(s.status, LoadStatus::Loading { progress, .. } if progress == 0.5));
        s.apply(Action::Loaded {
            run: 1,
            parsed: parsed("x\n1\n"),
            parse_ms: 1.0,
        });
        assert_eq!(s.status, LoadStatus::Idle);
        assert_eq!(s.dataset.as_ref().unwrap().source, file("a.csv"));
    }

    #[test]
    fn stale_result_never_overwrites_a_newer_read() {
        let mut s = Session::new(Lang::En);
        s.apply(Action::StartLoad {
            run: 1,
            source: file("old.csv"),
        });
        s.apply(Action::StartLoad {
            run: 2,
            source: file("new.csv"),
        });
        s.apply(Action::Loaded {
            run: 1,
            parsed: parsed("x\n1\n"),
            parse_ms: 1.0,
        });
        assert!(s.dataset.is_none());
        assert_eq!(s.loading_run(), Some(2));
        s.apply(Action::Loaded {
            run: 2,
            parsed: parsed("y\n1\n"),
            parse_ms: 1.0,
        });
        assert_eq!(s.dataset.as_ref().unwrap().source, file("new.csv"));
    }

    #[test]
    fn failed_read_keeps_previous_dataset_usable() {
        let mut s = Session::new(Lang::En);
        s.apply(Action::StartLoad {
            run: 1,
            source: file("good.csv"),
        });
        s.apply(Action::Loaded {
            run: 1,
            parsed: parsed("x\n1\n"),
            parse_ms: 1.0,
        });
        s.apply(Action::StartLoad {
            run: 2,
            source: file("bad.csv"),
        });
        s.apply(Action::Failed {
            run: 2,
            error: Error::EmptyFile,
        });
        assert!(matches!(
            s.status,
            LoadStatus::Failed {
                error: Error::EmptyFile,
                ..
            }
        ));
        assert_eq!(s.dataset.as_ref().unwrap().source, file("good.csv"));
        s.apply(Action::DismissError);
        assert_eq!(s.status, LoadStatus::Idle);
    }

    #[test]
    fn cancelled_read_drops_its_late_result() {
        let mut s = Session::new(Lang::En);
        s.apply(Action::StartLoad {
            run: 7,
            source: file("big.csv"),
        });
        s.apply(Action::Cancel);
        s.apply(Action::Loaded {
            run: 7,
            parsed: parsed("x\n1\n"),
            parse_ms: 1.0,
        });
        assert!(s.dataset.is_none());
        assert_eq!(s.status, LoadStatus::Cancelled);
    }

    #[test]
    fn default_read_settings_round_trip_to_pandas_tokens() {
        let opts = ReadSettings::default().to_options();
        let mut got = opts.na_values.clone();
        let mut want: Vec<String> = DEFAULT_NA_VALUES.iter().map(|s| s.to_string()).collect();
        got.sort();
        want.sort();
        assert_eq!(got, want);
        assert!(!opts.na_values.iter().any(|t| t == "None"));
    }
}
