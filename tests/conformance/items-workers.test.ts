// items.test.ts again, with reads served by read workers (engine/workers) on a database file: the
// same requests must get the same answers as on one thread (tests/conformance/support.ts).
process.env.SORTKEY_TEST_READ_WORKERS = '2';
await import('./items.test.js');
