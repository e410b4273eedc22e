//! Helpers shared by integration tests (`mod support;`): real servers started on 127.0.0.1.

pub mod kannel;
