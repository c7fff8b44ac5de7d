import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** The create and update forms. */
export class PostForm {
  @IsNotEmpty({ message: 'Title is required.' })
  @MaxLength(200, { message: 'Title must be at most 200 characters.' })
  title!: string;

  @IsString()
  @IsOptional()
  body?: string;
}
