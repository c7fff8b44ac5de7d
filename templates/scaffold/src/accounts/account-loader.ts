import { Injectable, UserLoader } from 'flagon';
import { AccountsService, type Account } from './accounts.service';

/**
 * How Flagon finds the logged-in account for `loginUser`, `@LoginRequired()` and `currentUser`.
 * Cookie sessions cannot be deleted on the server: the session version makes logout end every
 * copy of the cookie (a copy taken before carries the old version and loads nobody).
 */
@Injectable()
export class AccountLoader extends UserLoader<Account> {
  constructor(private readonly accounts: AccountsService) {
    super();
  }

  loadUser(id: string): Account | undefined {
    return this.accounts.find(Number(id));
  }

  override sessionVersion(account: Account): number {
    return account.sessionVersion;
  }

  override onLogout(account: Account): void {
    this.accounts.endSessions(account.id);
  }
}
