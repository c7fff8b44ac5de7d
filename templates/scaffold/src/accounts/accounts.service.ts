import { Injectable } from 'flagon';

export interface Account {
  readonly id: number;
  readonly username: string;
  /** Changed at logout and password change: sessions made before stop being logged in. */
  sessionVersion: number;
}

/** Keeps accounts in memory; swap it for a database-backed service with a session_version column. */
@Injectable()
export class AccountsService {
  private readonly accounts = new Map<number, Account>();

  find(id: number): Account | undefined {
    return this.accounts.get(id);
  }

  add(username: string): Account {
    const account = { id: this.accounts.size + 1, username, sessionVersion: 0 };
    this.accounts.set(account.id, account);
    return account;
  }

  /** Ends every session of the account, wherever its cookie was copied (call it on password change too). */
  endSessions(id: number): void {
    const account = this.accounts.get(id);
    if (account !== undefined) account.sessionVersion++;
  }
}
