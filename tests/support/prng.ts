// Generated tests, fuzzers and benchmarks draw from the seeded PRNG the engine uses (common/prng.ts).
export { prng } from '../../common/prng.js';
