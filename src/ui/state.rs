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
