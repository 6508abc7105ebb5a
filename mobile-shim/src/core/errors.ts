/** Exceptions of the Dart API (SDK reference §1.2.1). */
export class NotConfiguredException extends Error {
  constructor() { super("OpenWearablesHealthSdk is not configured: call configure({host}) first"); this.name = "NotConfiguredException"; }
}
export class NotSignedInException extends Error {
  constructor() { super("No user is signed in"); this.name = "NotSignedInException"; }
}
export class SignInException extends Error {
  constructor(message: string, readonly statusCode?: number) { super(message); this.name = "SignInException"; }
  override toString(): string { return `SignInException: ${this.message}${this.statusCode ? ` (HTTP ${this.statusCode})` : ""}`; }
}
/** Dart's ArgumentError: neither (accessToken and refreshToken) nor apiKey given. */
export class ArgumentError extends Error {
  constructor(message: string) { super(message); this.name = "ArgumentError"; }
}
/** resumeSync without a resumable session (iOS `no_session`). */
export class NoResumableSessionError extends Error {
  readonly code = "no_session";
  constructor() { super("No resumable sync session"); this.name = "NoResumableSessionError"; }
}
