import { IsString, Length, MaxLength } from 'class-validator';
import { MAX_BODY_LENGTH } from '../blog/post-form';

/** `POST /api/posts`: `{ title: 1..200 characters, body: string of at most MAX_BODY_LENGTH }`. */
export class CreatePostDto {
  @IsString()
  @Length(1, 200)
  title!: string;

  @IsString()
  @MaxLength(MAX_BODY_LENGTH)
  body!: string;
}
