import { Module } from 'flagon';
import { AuthController } from './auth-controller';
import { RequireLogin } from './require-login';
import { BlogUserLoader } from './user-loader';
import { Users } from './users';

/** flaskr's `auth` blueprint: register, log in, log out. */
@Module({ controllers: [AuthController], providers: [Users, BlogUserLoader, RequireLogin] })
export class AuthModule {}
