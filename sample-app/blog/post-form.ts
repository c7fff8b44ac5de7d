import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** The create and update forms; each field is one string (a repeated field gives its first value). */
export class PostForm {
  @IsString({ message: 'Title is required.' })
  @IsNotEmpty({ message: 'Title is required.' })
  @MaxLength(200, { message: 'Title must be at most 200 characters.' })
  title!: string;

  @IsString()
  @IsOptional()
  body?: string;
}
