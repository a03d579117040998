//! The session as yew state: [`Session::apply`](crate::session::Session::apply) does all the work.

use std::rc::Rc;

use yew::prelude::*;

use crate::session::{Action, Session};

/// The app's state.
#[derive(Clone, PartialEq)]
pub struct AppState(pub Session);

impl Reducible for AppState {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.0.apply(action);
        Rc::new(next)
    }
}

/// The session and its dispatcher, provided by the app to every component under it, so that a
/// component can read the session and send actions without callback props.
pub type AppContext = UseReducerHandle<AppState>;

/// The app's state, inside the app.
#[hook]
pub fn use_app() -> AppContext {
    use_context::<AppContext>().expect("used inside the App, which provides the state")
}
