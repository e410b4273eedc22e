//! Text handling shared by the stages: sentence splitting, normalisation and language guessing.

pub mod language;
pub mod normalize;
pub mod sentences;
pub mod similar;
