export {
  PROBLEM_STATUS,
  defineOperations,
  type ProblemCode,
  type Operation,
  type ResponseSpec,
  type Security,
  type HttpMethod,
} from './operation';
export { Problem, Message, IsoTime, PageQuery, pageOf, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MAX_CURSOR_LENGTH } from './common';
export { httpOperations } from './operations';
export { API_VERSION, openApiDocument, type OpenApiDocument, type OpenApiOperation, type OpenApiResponse } from './openapi';
export { Email, NewPassword, EmailedToken, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './identity/fields';
export { RegisterBody, Registered } from './identity/registration';
export { VerifyEmailBody, EmailVerified } from './identity/verification';
export { LoginBody, LoginForm, RefreshBody, RefreshForm, LogoutBody, TokenResponse, MfaRequiredResponse } from './identity/login';
export {
  TotpCode,
  RecoveryCode,
  MfaToken,
  TwoFactorEnableResponse,
  TwoFactorEnableBody,
  TwoFactorVerifyBody,
  RecoveryCodesResponse,
  TwoFactorConfirmBody,
  TwoFactorDisableBody,
  RegenerateRecoveryCodesBody,
  LoginSecondFactorBody,
  TwoFactorResetRequestBody,
  TwoFactorResetConfirmBody,
  PendingTwoFactorReset,
  TwoFactorResetResponse,
  CancelTwoFactorResetResponse,
  TwoFactorStatus,
} from './identity/two-factor';
export {
  WaitlistJoinBody,
  WaitlistStatus,
  WaitlistEntry,
  WaitlistPage,
  AdminWaitlistQuery,
  WaitlistEntryIdParam,
} from './identity/waitlist';
export { RequestPasswordResetBody, ResetPasswordBody, ChangePasswordBody } from './identity/password';
export { RequestEmailChangeBody, ConfirmEmailChangeBody, UndoEmailChangeBody } from './identity/email-change';
export { DisplayName, UpdateProfileBody, Profile } from './identity/profile';
export {
  RequestDataExportBody,
  DataExportStarted,
  AdminDataExportParams,
  DownloadDataExportBody,
  DataExportArchive,
} from './identity/data-export';
export { RequestDeletionBody, PendingDeletionView, RequestDeletionResponse, CancelDeletionResponse } from './identity/deletion';
export { SessionParams, SessionList } from './identity/sessions';
export {
  PasskeyRegistrationOptionsBody,
  PasskeyRegistrationVerifyBody,
  PasskeyAuthenticationOptionsBody,
  PasskeyAuthenticationVerifyBody,
  PasskeyRemoveBody,
  PasskeyParams,
  PasskeyOptionsResponse,
  PasskeyList,
  PasskeyCreated,
  type Passkey,
} from './identity/passkeys';
export { AppAccessParams, AppAccessList } from './identity/oauth-apps';
export { OAuthClientParams, OAuthClientMetadata, OAuthClient, OAuthClientWithSecret, OAuthClientList } from './identity/oauth-clients';
export { INTERACTION_PROOF_HEADER, OAuthInteractionParams, OAuthInteraction, OAuthInteractionDone } from './identity/oauth-interactions';
export { SESSION_INTROSPECTION_PATH, SessionIntrospection } from './identity/session-introspection';
export { PROVIDER_TOKEN_INTROSPECTION_PATH, ProviderTokenIntrospection } from './identity/provider-token-introspection';
export { providerScopesFor, templatePattern } from './provider-scopes';
export { AUDIT_ACTIONS, AdminAuditQuery, AuditPage, AdminAuditPage, type AuditAction } from './identity/audit';
export { AdminUsersQuery, AdminUserPage, AdminUserDetail } from './identity/admin-users';
export { AdminUserIdParam, AdminRoleParams, AdminDisableBody, AdminDeleteBody } from './identity/admin-actions';
export { JsonWebKeySet } from './identity/jwks';
export { Usage } from './gateway/usage';
export { EmailHealth, DeliveryWindow } from './notification/email-health';
export { EmailMetrics } from './notification/email-metrics';
export {
  BounceEventPage,
  RemoveSuppressionBody,
  SuppressionPage,
  SuppressionParams,
  SuppressionQuery,
  SuppressionRemovalPage,
} from './notification/suppressions';
export { SendgridPayload, MailgunPayload, SnsMessage, WebhookResult } from './notification/webhooks';
export {
  CreateWebhookBody,
  UpdateWebhookBody,
  WebhookParams,
  WebhookEndpoint,
  WebhookEndpointList,
  CreatedWebhookEndpoint,
  WebhookSecret,
  RotateWebhookSecretBody,
  WebhookDelivery,
  WebhookDeliveryQuery,
  WebhookDeliveryList,
  ReplayWebhookBody,
  ReplayScheduled,
  TestEventSent,
} from './notification/event-webhooks';
export {
  AdminJob,
  AdminJobIdParam,
  AdminJobsQuery,
  AdminJobsResponse,
  DailyReportQuery,
  DailyReportResponse,
} from './lifecycle/lifecycle-admin';
