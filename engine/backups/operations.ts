// Shared request checks and errors of the backup, restore and export operations.
import { DynamoError } from '../errors.js';
import type { ConstraintErrors } from '../errors.js';
import type { DynamoErrorType } from '../errors.js';
import { checkLength } from '../operations/common.js';

export function checkBackupArn(c: ConstraintErrors, value: unknown, path: string, required: boolean): void {
  if (value === undefined || value === null) {
    if (required) c.add(null, path, 'Member must not be null');
    return;
  }
  checkLength(c, value, path, 37, 1024);
}

export function backupInUse(): DynamoError {
  return new DynamoError(
    'BackupInUseException',
    'There is another ongoing conflicting backup control plane operation on the table. The backup is either being created, deleted or restored to a table.',
  );
}

/**
 * Errors of the export API that errors.ts does not list yet (ExportNotFoundException,
 * InvalidExportTimeException, ExportConflictException): same class, DynamoDB's names.
 */
export function exportError(
  type: 'ExportNotFoundException' | 'InvalidExportTimeException' | 'ExportConflictException',
  message: string,
): DynamoError {
  return new DynamoError(type as DynamoErrorType, message);
}
