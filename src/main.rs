//! The `apim-dr` binary.

fn main() {}
