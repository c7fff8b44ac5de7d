/**
 * What the test client needs from the app's CSRF protection to send valid tokens by itself. The
 * CSRF extension provides it under TEST_CSRF, so the test client never imports the extension.
 */
export interface TestCsrf {
  readonly isEnabled: boolean;
  /** Lower-case header name. */
  readonly headerName: string;
  readonly fieldName: string;
  /** A token for a client holding `cookies`, and the secret cookie to give it when it has none. */
  tokenForCookies(cookies: Readonly<Record<string, string>>): {
    readonly token: string;
    readonly cookie?: { readonly name: string; readonly value: string };
  };
}

/** DI token of the app's TestCsrf. */
export const TEST_CSRF = Symbol('flagon:test-csrf');
