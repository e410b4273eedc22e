//! Helpers shared by integration test binaries (`mod support;`): real and fake gateways, and a
//! throwaway PostgreSQL, started on 127.0.0.1 and stopped by pid when dropped.

#![allow(dead_code)]

pub mod kannel;
pub mod postgres;
pub mod recorder;
pub mod serve;
pub mod smtp;
