import { AppError } from '@solar/chassis';

/** What every way of signing in answers a disabled account, once its password (and second factor) passed. */
export const accountDisabled = () => new AppError('account_disabled', 'This account is disabled; contact support');
