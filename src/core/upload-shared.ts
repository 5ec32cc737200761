// What the uploads part (upload-parts.ts) uses of the main bundle: the script-tag build of the
// part imports these names from the main bundle's `provide` instead of carrying a copy (of
// zod behind FileRef, among others). See live-shared.ts.
export { FILES_PATH, FileRef, SESSION_HEADER, describeIssue, endpointUrl } from './protocol.ts';
export { HTTP_CODES, failure, httpError } from './rest.ts';
