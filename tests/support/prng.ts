// Generated tests, fuzzers and benchmarks draw from the seeded PRNG the engine uses (engine/consistency/prng.ts).
export { prng } from '../../engine/consistency/prng.js';
