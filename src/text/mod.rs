//! Text handling shared by the stages: sentence splitting, normalisation, language guessing and
//! the opener dateline at the start of a body.

pub(crate) mod bytes;
pub mod language;
pub(crate) mod letters;
pub mod normalize;
pub mod opener;
mod sentence_bounds;
pub mod sentences;
pub mod similar;
