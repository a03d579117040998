//! Run numbers for work that finishes later (reading a file, training models): a newer run
//! supersedes older ones, and a result of an older run is ignored. Plain data, tested natively;
//! the web app's loader and trainer each keep one.

/// The runs of one kind of work.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Runs {
    /// The number of the newest run (0: none yet).
    latest: u64,
    /// The run whose result is still wanted (None after it finished or was cancelled).
    current: Option<u64>,
    /// The run handed to a worker and not finished there yet.
    in_flight: Option<u64>,
}

/// A run just started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Started {
    /// Its number: larger than every earlier run's.
    pub run: u64,
    /// The run it replaces that was still in a worker (whose worker should be stopped).
    pub stopped: Option<u64>,
}

impl Runs {
    /// Start a run: it supersedes every earlier one.
    pub fn start(&mut self) -> Started {
        self.latest += 1;
        self.current = Some(self.latest);
        Started {
            run: self.latest,
            stopped: self.in_flight.take(),
        }
    }

    /// `run` has been handed to a worker (only the current run can be).
    pub fn sent(&mut self, run: u64) {
        if self.current == Some(run) {
            self.in_flight = Some(run);
        }
    }

    /// Whether a message about `run` (progress, a result) is still wanted.
    pub fn is_current(&self, run: u64) -> bool {
        self.current == Some(run)
    }

    /// `run` has finished (with a result or an error): whether its outcome is to be used.
    pub fn finish(&mut self, run: u64) -> bool {
        if self.in_flight == Some(run) {
            self.in_flight = None;
        }
        if self.current == Some(run) {
            self.current = None;
            true
        } else {
            false
        }
    }

    /// Stop the current run: its outcome is no longer wanted. Returns the run that was in a
    /// worker, if any.
    pub fn cancel(&mut self) -> Option<u64> {
        self.current = None;
        self.in_flight.take()
    }

    /// The run in a worker, if any.
    pub fn in_flight(&self) -> Option<u64> {
        self.in_flight
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_numbers_grow() {
        let mut r = Runs::default();
        let a = r.start().run;
        let b = r.start().run;
        let c = r.start().run;
        assert!(0 < a && a < b && b < c);
    }

    #[test]
    fn a_newer_run_supersedes_an_older_one() {
        let mut r = Runs::default();
        let old = r.start().run;
        let new = r.start().run;
        assert!(!r.is_current(old));
        assert!(r.is_current(new));
        assert!(!r.finish(old), "an older run's result is ignored");
        assert!(r.is_current(new), "and does not end the newer run");
        assert!(r.finish(new));
        assert!(!r.finish(new), "a result is used once");
        assert!(!r.is_current(new));
    }

    #[test]
    fn starting_a_run_stops_the_one_in_a_worker() {
        let mut r = Runs::default();
        let first = r.start();
        assert_eq!(first.stopped, None);
        r.sent(first.run);
        assert_eq!(r.in_flight(), Some(first.run));
        let second = r.start();
        assert_eq!(second.stopped, Some(first.run));
        assert_eq!(r.in_flight(), None);
        // A run that never reached a worker stops nothing.
        let third = r.start();
        assert_eq!(third.stopped, None);
        // Finished in the worker: nothing to stop any more.
        r.sent(third.run);
        assert!(r.finish(third.run));
        assert_eq!(r.start().stopped, None);
    }

    #[test]
    fn a_superseded_run_is_never_marked_in_flight() {
        let mut r = Runs::default();
        let old = r.start().run;
        let new = r.start().run;
        r.sent(old);
        assert_eq!(r.in_flight(), None);
        r.sent(new);
        assert!(!r.finish(old));
        assert_eq!(
            r.in_flight(),
            Some(new),
            "an old result does not clear the new run"
        );
    }

    #[test]
    fn a_cancelled_run_is_ignored_and_the_next_one_counts() {
        let mut r = Runs::default();
        let run = r.start().run;
        r.sent(run);
        assert_eq!(r.cancel(), Some(run));
        assert!(!r.is_current(run));
        assert!(!r.finish(run));
        assert_eq!(r.cancel(), None);
        let next = r.start();
        assert_eq!(
            next.stopped, None,
            "the cancelled worker was stopped already"
        );
        assert!(next.run > run);
        assert!(r.finish(next.run));
    }
}
