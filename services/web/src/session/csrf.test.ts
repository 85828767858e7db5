import { csrfRefusal } from './csrf';

const ours = 'https://accounts.example';
const base = { origin: ours, secFetchSite: 'same-origin', expectedOrigin: ours, formToken: 'token-1', sessionToken: 'token-1' };

describe('csrfRefusal', () => {
  it('lets a form of ours through, with its Origin or with the null Origin no-referrer pages send', () => {
    expect(csrfRefusal(base)).toBeNull();
    expect(csrfRefusal({ ...base, origin: 'null' })).toBeNull();
    expect(csrfRefusal({ ...base, origin: undefined, secFetchSite: undefined })).toBeNull();
  });

  it('refuses another Origin, and a null or missing one the browser calls cross-site', () => {
    expect(csrfRefusal({ ...base, origin: 'https://evil.example' })).toBe('origin');
    expect(csrfRefusal({ ...base, origin: 'http://accounts.example' })).toBe('origin');
    expect(csrfRefusal({ ...base, origin: 'null', secFetchSite: 'cross-site' })).toBe('origin');
    expect(csrfRefusal({ ...base, origin: undefined, secFetchSite: 'same-site' })).toBe('origin');
  });

  it("refuses a missing, wrong or foreign session's token", () => {
    expect(csrfRefusal({ ...base, formToken: undefined })).toBe('token');
    expect(csrfRefusal({ ...base, formToken: ['token-1'] })).toBe('token');
    expect(csrfRefusal({ ...base, formToken: 'token-2' })).toBe('token');
    expect(csrfRefusal({ ...base, formToken: 'token-10' })).toBe('token');
    expect(csrfRefusal({ ...base, sessionToken: undefined })).toBe('token');
  });
});
