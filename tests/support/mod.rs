//! Helpers shared by integration test binaries: fake and real gateways started on 127.0.0.1.

#![allow(dead_code)]

pub mod recorder;
