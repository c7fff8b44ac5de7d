import { Injectable, UserLoader } from 'flagon';
import { Users, type User } from './users';

/**
 * Flask-Login's user_loader: the session stores the id, this turns it back into a user. The
 * session version makes logout end every copy of the session cookie: a copy taken before carries
 * the old version and loads no user.
 */
@Injectable()
export class BlogUserLoader extends UserLoader<User> {
  constructor(private readonly users: Users) {
    super();
  }

  loadUser(id: string): Promise<User | undefined> {
    return this.users.find(Number(id));
  }

  override sessionVersion(user: User): number {
    return user.session_version;
  }

  override onLogout(user: User): Promise<void> {
    return this.users.endSessions(user.id);
  }
}
