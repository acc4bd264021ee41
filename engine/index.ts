// Public API of the engine package.
export { Engine } from './engine.js';
export { parsePolicy, PolicyError } from './access/policy.js';
export type { PolicyDocument } from './access/policy.js';
export type { AlarmStateChange, Caller, EngineOptions, Namespace } from './engine.js';
export { DynamoError } from './errors.js';
export type { DynamoErrorType } from './errors.js';
export type { AttributeValue, Item, Wire } from './types.js';
