// The shapes the engine speaks: DynamoDB's JSON wire format. Operation inputs and outputs are the AWS
// SDK's own types (the contract), mapped to what travels on the wire: binary as base64 strings and
// dates as epoch seconds.
import type * as Sdk from '@aws-sdk/client-dynamodb';

/** An SDK type as it appears in DynamoDB's JSON protocol. */
export type Wire<T> = T extends Uint8Array
  ? string
  : T extends Date
    ? number
    : T extends readonly (infer U)[]
      ? Wire<U>[]
      : T extends object
        ? { [K in keyof T]: Wire<T[K]> }
        : T;

/** One attribute value in DynamoDB JSON. Numbers are decimal strings, binary is base64. */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { L: AttributeValue[] }
  | { M: Record<string, AttributeValue> }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] };

export type AttributeType = 'S' | 'N' | 'B' | 'BOOL' | 'NULL' | 'L' | 'M' | 'SS' | 'NS' | 'BS';
export type KeyType = 'S' | 'N' | 'B';

export type Item = Record<string, AttributeValue>;

export type { Sdk };
