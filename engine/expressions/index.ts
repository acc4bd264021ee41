// DynamoDB's expression language in the engine: parsing a request's expressions (with its
// ExpressionAttributeNames/Values) into the IR, evaluating conditions, applying updates and
// projections, and the legacy parameters that predate expressions.
export type { Comparator, Condition, KeyTerm, Operand, Path, UpdateActions } from './ir.js';
export {
  ExpressionAttributes,
  checkExpressionParameters,
  checkExpressionSize,
  MAX_EXPRESSION_BYTES,
  type ExpressionParameters,
} from './attributes.js';
export { parseCondition, lowerCondition } from './condition.js';
export { parseKeyCondition, KEY_TERMS_MESSAGE, ONE_CONDITION_PER_KEY } from './key-condition.js';
export { parseProjection, projectItem } from './projection.js';
export { parseUpdate } from './update.js';
export { evaluateCondition } from './evaluate.js';
export {
  applyUpdate,
  applyAttributeUpdates,
  cloneItem,
  cloneValue,
  type ApplyUpdateOptions,
} from './apply-update.js';
export { getPath, formatPath, assertDistinctPaths } from './paths.js';
export {
  compareValues,
  compareUtf8,
  compareBinary,
  sizeOf,
  containsValue,
  beginsWith,
  describeValue,
} from './compare.js';
export { valueOf, updateValueOf } from './operands.js';
export {
  checkConditionalOperatorUse,
  conditionFromExpected,
  conditionFromFilter,
  keyTermsFromKeyConditions,
  COMPARISON_OPERATORS,
  type ComparisonOperator,
} from './legacy-conditions.js';
export { updateFromAttributeUpdates, projectionFromAttributesToGet } from './legacy-updates.js';
