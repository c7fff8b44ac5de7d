import {
  Body,
  flash,
  Get,
  hashPassword,
  loginUser,
  logoutUser,
  needsRehash,
  Post,
  Query,
  RateLimit,
  redirect,
  render,
  Render,
  Route,
  safeNext,
  Session,
  urlFor,
  ValidatedBody,
  verifyPassword,
  type Response,
  type Validated,
  type HttpSession,
} from 'flagon';
import {
  FAILED_LOGIN_LIMIT,
  isFailedLogin,
  isLoggedIn,
  REGISTRATION_LIMIT,
  usernameAndIp,
} from './login-limits';
import { NEXT_PAGE_KEY } from './require-login';
import { LoginForm, RegisterForm } from './forms';
import { Users } from './users';

@Route('/auth')
export class AuthController {
  constructor(private readonly users: Users) {}

  @Get('/register')
  @Render('auth/register')
  registerPage(): object {
    return {};
  }

  @RateLimit(REGISTRATION_LIMIT, { scope: 'registrations' })
  @Post('/register')
  async register(
    @ValidatedBody(RegisterForm) form: Validated<RegisterForm>,
  ): Promise<string | Response> {
    if (!form.ok)
      return render('auth/register', { formError: registerError(form.errors), username: '' });
    const { username, password } = form.value;
    const user = await this.users.create(username, await hashPassword(password));
    if (!user)
      return render('auth/register', {
        formError: `User ${username} is already registered.`,
        username,
      });
    flash('Registration complete. Please log in.', 'success');
    return redirect(urlFor('auth.AuthController.loginPage'));
  }

  @Get('/login')
  @Render('auth/login')
  loginPage(): object {
    return {};
  }

  @RateLimit(FAILED_LOGIN_LIMIT, {
    scope: 'failed-logins',
    key: usernameAndIp,
    deductWhen: isFailedLogin,
    resetWhen: isLoggedIn,
  })
  @Post('/login')
  async login(
    @Body() form: LoginForm,
    @Query('next') next: string | undefined,
    @Session() session: HttpSession,
  ): Promise<string | Response> {
    const username = form.username ?? '';
    const user = await this.users.findByName(username);
    // verifyPassword runs for unknown names too, so response time does not reveal which names exist.
    const isValid = await verifyPassword(form.password ?? '', user?.password ?? DUMMY_HASH);
    if (!user) return failedLogin('Incorrect username.', username);
    if (!isValid) return failedLogin('Incorrect password.', username);
    // Hashes made with older parameters (or the older scrypt format) are upgraded while the password is at hand.
    if (needsRehash(user.password))
      await this.users.setPassword(user.id, await hashPassword(form.password ?? ''));
    // A `?next=` wins over the page the login-required redirect remembered.
    const remembered = session.get<string>(NEXT_PAGE_KEY);
    session.delete(NEXT_PAGE_KEY);
    await loginUser(user);
    return redirect(safeNext(next ?? remembered, urlFor('blog.BlogController.index')));
  }

  @Get('/logout')
  async logout(): Promise<Response> {
    await logoutUser();
    return redirect(urlFor('blog.BlogController.index'));
  }
}

/** The login form again with its message (a 200, which the failed-login limit counts). */
function failedLogin(formError: string, username: string): string {
  return render('auth/login', { formError, username });
}

/** One message for the page: a missing field first (flaskr's order), then a limit. */
function registerError(errors: Readonly<Record<string, readonly string[]>>): string {
  const messages = [...(errors['username'] ?? []), ...(errors['password'] ?? [])];
  return (
    messages.find((message) => message.endsWith('is required.')) ?? messages[0] ?? 'Invalid form.'
  );
}

// A hash of a random password with the default parameters, so a failed lookup costs as much as a failed comparison.
const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$D8IrqvOOp6H8JKg1jL7riw$UkKFrotEw8JYkD9dB+63wxVtP9hpZr559GVz9vpzjSc';
