// The audit log's record (`sortkey serve --audit`): written by main/audit, read by `sortkey audit`
// and shown by the studio, so its shape is declared once, here.

/** A CloudTrail record as written: one JSON object a line. */
export interface AuditEvent {
  eventVersion: string;
  userIdentity: {
    type: string;
    principalId: string;
    arn?: string;
    accountId: string;
    accessKeyId?: string;
    userName?: string;
  };
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  requestID: string;
  eventID: string;
  readOnly: boolean;
  resources?: { accountId: string; type: string; ARN: string }[];
  eventType: 'AwsApiCall';
  apiVersion: string;
  managementEvent: boolean;
  recipientAccountId: string;
  eventCategory: 'Data' | 'Management';
}
