import { IsNotEmpty, IsOptional, IsString } from 'class-validator';

/** The register form; the messages are flaskr's, shown on the page. */
export class RegisterForm {
  @IsNotEmpty({ message: 'Username is required.' })
  username!: string;

  @IsNotEmpty({ message: 'Password is required.' })
  password!: string;
}

/** The login form; an empty field is reported as an incorrect one, as in flaskr. */
export class LoginForm {
  @IsString()
  @IsOptional()
  username?: string;

  @IsString()
  @IsOptional()
  password?: string;
}
