// Public API of the engine package.
export { Engine } from './engine.js';
export type { AlarmStateChange, EngineOptions, Namespace } from './engine.js';
export { DynamoError } from './errors.js';
export type { DynamoErrorType } from './errors.js';
export type { AttributeValue, Item, Wire } from './types.js';
