import { Transform } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

/** Shortest password the blog accepts. */
export const MIN_PASSWORD_LENGTH = 8;

/**
 * The register form; the messages are flaskr's (plus the limits), shown on the page. Each field
 * is one string: a repeated form field gives its first value, and a JSON array or number is
 * refused here.
 */
export class RegisterForm {
  // " ann " registers as "ann": the spaces are never part of a name.
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString({ message: 'Username is required.' })
  @IsNotEmpty({ message: 'Username is required.' })
  @MaxLength(80, { message: 'Username must be at most 80 characters.' })
  username!: string;

  @IsString({ message: 'Password is required.' })
  @IsNotEmpty({ message: 'Password is required.' })
  @MinLength(MIN_PASSWORD_LENGTH, {
    message: `Password must be at least ${MIN_PASSWORD_LENGTH} characters.`,
  })
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
