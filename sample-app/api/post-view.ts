import { Type } from 'class-transformer';
import { IsDateString, IsInt, IsString, ValidateNested } from 'class-validator';

/** A post as the API answers it: the columns a client may see, nothing else of the row. */
export class PostView {
  @IsInt() id!: number;
  @IsString() title!: string;
  @IsString() body!: string;
  /** ISO 8601, UTC. */
  @IsDateString() created!: string;
  @IsInt() author_id!: number;
  @IsString() username!: string;
}

/** `GET /api/posts`: every post, newest first. */
export class PostList {
  @ValidateNested({ each: true })
  @Type(() => PostView)
  posts!: PostView[];
}
