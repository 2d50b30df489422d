// bench:votes — owned by the benchmark helper
// Work in progress: live-room vote benchmark (issue #3, "Benchmark").
export {};
