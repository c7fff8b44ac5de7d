import { Injectable, UserLoader } from 'flagon';
import { Users, type User } from './users';

/** Flask-Login's user_loader: the session stores the id, this turns it back into a user. */
@Injectable()
export class BlogUserLoader extends UserLoader<User> {
  constructor(private readonly users: Users) {
    super();
  }

  loadUser(id: string): Promise<User | undefined> {
    return this.users.find(Number(id));
  }
}
