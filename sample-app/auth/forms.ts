import { IsNotEmpty, IsOptional, IsString } from 'class-validator';

/**
 * The register form; the messages are flaskr's, shown on the page. Each field is one string: a
 * repeated form field gives its first value, and a JSON array or number is refused here.
 */
export class RegisterForm {
  @IsString({ message: 'Username is required.' })
  @IsNotEmpty({ message: 'Username is required.' })
  username!: string;

  @IsString({ message: 'Password is required.' })
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
