import { IsString, Length } from 'class-validator';

/** `POST /api/posts`: `{ title: 1..200 characters, body: string }`. */
export class CreatePostDto {
  @IsString()
  @Length(1, 200)
  title!: string;

  @IsString()
  body!: string;
}
