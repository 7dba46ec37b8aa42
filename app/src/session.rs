//! The logged-in holder, known to every page.

use leptos::prelude::*;
use shared::api::Me;

use crate::api;

#[derive(Clone, Copy)]
pub struct SessionContext {
    /// `None` until the first answer of `/api/me`; then `Some(None)` when nobody is logged in.
    pub me: RwSignal<Option<Option<Me>>>,
}

impl SessionContext {
    pub fn provide() -> Self {
        let ctx = SessionContext {
            me: RwSignal::new(None),
        };
        provide_context(ctx);
        ctx.reload();
        ctx
    }

    pub fn get() -> Self {
        expect_context::<SessionContext>()
    }

    pub fn reload(self) {
        leptos::task::spawn_local(async move {
            let me = api::get_me().await.ok();
            self.me.set(Some(me));
        });
    }

    pub fn current(self) -> Option<Me> {
        self.me.get().flatten()
    }
}

/// The structure with this id among those the logged-in holder acts for.
pub fn my_structure(id: &str) -> Option<shared::api::StructureSummary> {
    SessionContext::get()
        .current()?
        .structures
        .into_iter()
        .find(|s| s.id == id)
}

/// Why the holder cannot act for structure `id`: their mandate there ended, or they never had one.
pub fn no_mandate_message(me: &shared::api::Me, id: &str) -> &'static str {
    if me.ended_in.iter().any(|e| e == id) {
        shared::errors::ErrorCode::MandateEnded.message()
    } else {
        shared::errors::ErrorCode::ForbiddenStructure.message()
    }
}
