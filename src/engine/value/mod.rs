//! Step 1's business case: the payback of the value scenarios and the learner's own formula.

pub mod formula;
pub mod payback;
