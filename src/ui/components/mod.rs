//! Reusable view components; each takes plain props and emits callbacks.

mod dataset;
mod lang;
mod picker;
mod status;

pub use dataset::{DatasetView, DatasetViewProps};
pub use lang::{LangSwitch, LangSwitchProps};
pub use picker::{DataPicker, DataPickerProps};
pub use status::{LoadStatusProps, LoadStatusView};
