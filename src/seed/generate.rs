//! Synthetic graphs of any size, with every kind of the real schema, for benchmarks and
//! load tests: deterministic for a given random seed.
