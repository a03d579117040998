//! Reusable view components; each takes plain props and emits callbacks.

mod chart;
mod dataset;
mod fields;
mod lang;
mod picker;
mod share;
mod status;

pub use chart::{ChartCanvas, ChartCanvasProps};
pub use dataset::{DatasetView, DatasetViewProps};
pub use fields::{NumberField, NumberFieldProps};
pub use lang::{LangSwitch, LangSwitchProps};
pub use picker::{DataPicker, DataPickerProps};
pub use share::{SessionTools, SessionToolsProps};
pub use status::{LoadStatusProps, LoadStatusView};
