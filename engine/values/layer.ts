// DynamoDB checks attribute values in one of two layers, and the operation decides which: the two
// accept and refuse the same values but word a bad number or a duplicate set member differently.
//
//   current  PutItem, UpdateItem, DeleteItem, GetItem, BatchGetItem and Query. Numbers are read with
//            a 64-bit exponent (`1e2147483647` overflows) and an empty one is named (`…value: `);
//            duplicates are shown quoted, in byte order up to the first repeat; an
//            ExpressionAttributeValues entry is reported bare, like any other value.
//   older    BatchWriteItem, TransactWriteItems, TransactGetItems, Scan and PartiQL. Numbers are read
//            as Java's BigDecimal reads them (exponents and scales in 32 bits: `1e2147483647` wraps
//            round to an underflow); duplicates are shown as sent; an ExpressionAttributeValues
//            entry is reported inside `ExpressionAttributeValues contains invalid value: … for key …`.
//
// An operation chooses its layer once and hands it to the entry points (normalizeValue,
// normalizeItem, ExpressionAttributes, the legacy parameters); 'older' is their default.
// PutItem, UpdateItem and DeleteItem also put their request errors inside the
// `1 validation error detected: ` envelope (engine/operations/writePlan.ts): that is the request
// layer of those operations, not part of the value layer (GetItem, BatchGetItem and Query word
// values the current way, bare).

export type ValueLayer = 'current' | 'older';
