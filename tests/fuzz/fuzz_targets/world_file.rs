//! The emulator's world files, generated-world specs and fault specs.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = apim_dr::emulator::World::from_json(text);
    if text.len() < 64 {
        let _ = apim_dr::emulator::World::generate(text);
    }
    let _ = apim_dr::emulator::parse_faults(text);
});
