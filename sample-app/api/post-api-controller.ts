import {
  Body,
  Consumes,
  currentUser,
  Get,
  LoginRequired,
  NotFound,
  Param,
  Post as PostRoute,
  Returns,
  Route,
  Status,
} from 'flagon';
import type { User } from '../auth/users';
import { Posts, type Post } from '../blog/posts';
import { CreatePostDto } from './create-post-dto';
import { PostList, PostView } from './post-view';

/**
 * The posts as JSON. Writes need a login and the `X-CSRF-Token` header (from `<meta
 * name="csrf-token">`); bodies are JSON only. Answers are written through the `@Returns` views.
 */
@Consumes('json')
@Route('/api/posts')
export class PostApiController {
  constructor(private readonly posts: Posts) {}

  @Get('')
  @Returns(PostList)
  async list(): Promise<{ posts: Post[] }> {
    return { posts: await this.posts.all() };
  }

  @Get('/<int:id>')
  @Returns(PostView)
  async show(@Param('id') id: number): Promise<Post> {
    const post = await this.posts.find(id);
    if (!post) throw new NotFound(`Post id ${id} doesn't exist.`);
    return post;
  }

  @LoginRequired()
  @PostRoute('')
  @Status(201)
  @Returns(PostView)
  create(@Body() input: CreatePostDto): Promise<Post> {
    const user = currentUser<User>() as User;
    return this.posts.create(user.id, input.title, input.body);
  }
}
