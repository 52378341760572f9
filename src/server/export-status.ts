/**
 * The HTTP status of each way an export can fail. Exports report plain reasons; which status a reason
 * becomes is the server's business, so it is decided here and nowhere below.
 */
import type { ExportFailure } from '../export/archive.js';
import type { DriveFailure } from '../export/usb.js';

export const EXPORT_STATUS: Record<ExportFailure, number> = {
  'not-found': 404,
  'not-ready': 409,
  'bad-passphrase': 400,
  'data-dir-full': 507,
};

/** Writing to a USB drive. */
export const FAILURE_STATUS: Record<DriveFailure, number> = {
  'no-drive': 409,
  'not-mounted': 404,
  'read-only': 409,
  full: 507,
  'too-large-for-drive': 507,
  'permission-denied': 403,
  'write-failed': 500,
};
