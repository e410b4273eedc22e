//! Helpers shared by the unit tests of several modules: a fixed pseudo-random sequence for
//! generated test input. Compiled for tests only.

/// A fixed pseudo-random sequence (xorshift64) from `seed`, for generated test input.
pub(crate) fn xorshift(mut state: u64) -> impl FnMut() -> u64 {
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}
