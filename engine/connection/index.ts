// The connection layer: one interface, two implementations (see docs/architecture.md).
export type * from './types.js';
export { ConnectionError, unavailable } from './types.js';
export { EmbeddedConnection } from './embedded.js';
export type { OperationExecutor } from './embedded.js';
export { RemoteConnection, backoffMs, isRetryable, sleep } from './remote.js';
export type { RemoteOptions } from './remote.js';
export { fromSdkOutput, toSdkInput, toSdkItem, toSdkValue } from './sdk-values.js';
