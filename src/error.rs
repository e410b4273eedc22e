//! The crate's error type and the exit code each error maps to.
pub type Result<T, E = Error> = std::result::Result<T, E>;
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Dateline(#[from] crate::dateline::DatelineError),
}
