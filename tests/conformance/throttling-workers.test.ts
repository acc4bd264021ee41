// throttling.test.ts again, with read workers (engine/workers) on a database file: reads go back
// to the writer while throttling or faults are in play, and capacity stays counted alike.
process.env.SORTKEY_TEST_READ_WORKERS = '2';
await import('./throttling.test.js');
