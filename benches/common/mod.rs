//! What the benchmarks share: the generated graphs they run on, and the process's memory.

use std::path::{Path, PathBuf};

use pledgegraph::seed::{self, generate};

/// Relations per entity in every generated graph.
pub const RELATIONS_PER_ENTITY: usize = 5;
/// The generator's seed.
pub const RNG_SEED: u64 = 1;

/// The generated graph of `size` entities, written once into `target/bench-graphs/`.
pub fn graph_dir(size: usize) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-graphs")
        .join(format!("e{size}-r{RELATIONS_PER_ENTITY}-s{RNG_SEED}"));
    if !dir.join("relations.jsonl").exists() {
        let options = generate::GenerateOptions {
            entities: size,
            relations_per_entity: RELATIONS_PER_ENTITY,
            rng_seed: RNG_SEED,
        };
        let records = generate::generate(&options).unwrap_or_else(|e| panic!("{e}"));
        seed::write_dir(&dir, records.map(Ok::<_, std::io::Error>))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    dir
}

/// The process's resident memory now and at its peak, in bytes.
pub fn memory() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb * 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}
