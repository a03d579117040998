//! Statistics on plain slices, each equal to the pandas, numpy or scipy function it names.
//! Missing values are NaN (numbers) or `MISSING_CODE` (category codes) and are left out.

pub mod association;
pub mod correlation;
pub mod histogram;
pub mod moments;
