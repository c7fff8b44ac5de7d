import { IsString, Length } from 'class-validator';

/** The JSON body of `POST /api/notes`; anything else is a 400 listing the field errors. */
export class CreateNoteDto {
  @IsString()
  @Length(1, 200)
  text!: string;
}
