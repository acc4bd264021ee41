// Everything that needs Monaco at run time, in one chunk (see load.ts).
export * from './monaco.js';
export * from './partiql.js';
