import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** Longest post body, in characters: a long article fits, a runaway paste does not. */
export const MAX_BODY_LENGTH = 10_000;

/** The create and update forms; each field is one string (a repeated field gives its first value). */
export class PostForm {
  @IsString({ message: 'Title is required.' })
  @IsNotEmpty({ message: 'Title is required.' })
  @MaxLength(200, { message: 'Title must be at most 200 characters.' })
  title!: string;

  @IsString()
  @IsOptional()
  @MaxLength(MAX_BODY_LENGTH, { message: `Body must be at most ${MAX_BODY_LENGTH} characters.` })
  body?: string;
}
