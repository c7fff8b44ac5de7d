import {
  currentUser,
  flash,
  Forbidden,
  Get,
  NotFound,
  Param,
  Post as PostRoute,
  Query,
  redirect,
  render,
  Render,
  Route,
  Transactional,
  urlFor,
  UseGuards,
  ValidatedBody,
  type Response,
  type Validated,
} from 'flagon';
import type { User } from '../auth/users';
import { RequireLogin } from '../auth/require-login';
import { paginate, parsePage } from './pagination';
import { PostForm } from './post-form';
import { Posts, type Post } from './posts';

@Route('/')
export class BlogController {
  constructor(private readonly posts: Posts) {}

  @Get('/hello')
  hello(): string {
    return 'Hello, World!';
  }

  /** Newest first, a page at a time (`?page=N`); a page past the last is a 404. */
  @Get('/')
  @Render('blog/index')
  async index(@Query('page') pageParam: string | undefined): Promise<object> {
    const page = parsePage(pageParam);
    const { posts, pageCount } = await this.posts.page(page);
    if (page > Math.max(pageCount, 1)) throw new NotFound(`There is no page ${page}.`);
    const user = currentUser<User>();
    return {
      posts: posts.map((post) => ({
        ...post,
        date: post.created.slice(0, 10),
        isOwn: user?.id === post.author_id,
      })),
      pagination: paginate(page, pageCount),
    };
  }

  @UseGuards(RequireLogin)
  @Get('/create')
  @Render('blog/create')
  createPage(): object {
    return {};
  }

  @UseGuards(RequireLogin)
  @PostRoute('/create')
  async create(@ValidatedBody(PostForm) form: Validated<PostForm>): Promise<string | Response> {
    if (!form.ok) return render('blog/create', { formError: firstError(form.errors), values: {} });
    const user = currentUser<User>() as User;
    await this.posts.create(user.id, form.value.title, form.value.body ?? '');
    flash('Post created.', 'success');
    return redirect(urlFor('blog.BlogController.index'));
  }

  @UseGuards(RequireLogin)
  @Get('/<int:id>/update')
  @Render('blog/update')
  async updatePage(@Param('id') id: number): Promise<object> {
    return { post: await this.ownPost(id) };
  }

  // The write is kept only when the request succeeds: an error after it undoes it.
  @Transactional()
  @UseGuards(RequireLogin)
  @PostRoute('/<int:id>/update')
  async update(
    @Param('id') id: number,
    @ValidatedBody(PostForm) form: Validated<PostForm>,
  ): Promise<string | Response> {
    const post = await this.ownPost(id);
    if (!form.ok) return render('blog/update', { formError: firstError(form.errors), post });
    await this.posts.update(id, form.value.title, form.value.body ?? '');
    flash('Post updated.', 'success');
    return redirect(urlFor('blog.BlogController.index'));
  }

  @Transactional()
  @UseGuards(RequireLogin)
  @PostRoute('/<int:id>/delete')
  async delete(@Param('id') id: number): Promise<Response> {
    await this.ownPost(id);
    await this.posts.delete(id);
    flash('Post deleted.', 'success');
    return redirect(urlFor('blog.BlogController.index'));
  }

  /** flaskr's `get_post(id, check_author=True)`: 404 when missing, 403 when someone else's. */
  private async ownPost(id: number): Promise<Post> {
    const post = await this.posts.find(id);
    if (!post) throw new NotFound(`Post id ${id} doesn't exist.`);
    if (post.author_id !== currentUser<User>()?.id)
      throw new Forbidden('Only the author can change this post.');
    return post;
  }
}

function firstError(errors: Readonly<Record<string, readonly string[]>>): string {
  return errors['title']?.[0] ?? Object.values(errors)[0]?.[0] ?? 'Invalid form.';
}
