//! Language guessing.
