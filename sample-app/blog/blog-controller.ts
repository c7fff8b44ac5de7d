import {
  currentUser,
  flash,
  Forbidden,
  Get,
  NotFound,
  Param,
  Post as PostRoute,
  redirect,
  render,
  Render,
  Route,
  UseGuards,
  ValidatedBody,
  type Response,
  type Validated,
} from '../../src';
import type { User } from '../auth/users';
import { RequireLogin } from '../auth/require-login';
import { PostForm } from './post-form';
import { Posts, type Post } from './posts';

@Route('/')
export class BlogController {
  constructor(private readonly posts: Posts) {}

  @Get('/hello')
  hello(): string {
    return 'Hello, World!';
  }

  @Get('/')
  @Render('blog/index')
  index(): object {
    const user = currentUser<User>();
    return {
      posts: this.posts.all().map((post) => ({
        ...post,
        date: post.created.slice(0, 10),
        isOwn: user?.id === post.author_id,
      })),
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
  create(@ValidatedBody(PostForm) form: Validated<PostForm>): string | Response {
    if (!form.ok) return render('blog/create', { formError: firstError(form.errors), values: {} });
    const user = currentUser<User>() as User;
    this.posts.create(user.id, form.value.title, form.value.body ?? '');
    flash('Post created.', 'success');
    return redirect('/');
  }

  @UseGuards(RequireLogin)
  @Get('/<int:id>/update')
  @Render('blog/update')
  updatePage(@Param('id') id: number): object {
    return { post: this.ownPost(id) };
  }

  @UseGuards(RequireLogin)
  @PostRoute('/<int:id>/update')
  update(
    @Param('id') id: number,
    @ValidatedBody(PostForm) form: Validated<PostForm>,
  ): string | Response {
    const post = this.ownPost(id);
    if (!form.ok) return render('blog/update', { formError: firstError(form.errors), post });
    this.posts.update(id, form.value.title, form.value.body ?? '');
    flash('Post updated.', 'success');
    return redirect('/');
  }

  @UseGuards(RequireLogin)
  @PostRoute('/<int:id>/delete')
  delete(@Param('id') id: number): Response {
    this.ownPost(id);
    this.posts.delete(id);
    flash('Post deleted.', 'success');
    return redirect('/');
  }

  /** flaskr's `get_post(id, check_author=True)`: 404 when missing, 403 when someone else's. */
  private ownPost(id: number): Post {
    const post = this.posts.find(id);
    if (!post) throw new NotFound(`Post id ${id} doesn't exist.`);
    if (post.author_id !== currentUser<User>()?.id)
      throw new Forbidden('Only the author can change this post.');
    return post;
  }
}

function firstError(errors: Readonly<Record<string, readonly string[]>>): string {
  return errors['title']?.[0] ?? Object.values(errors)[0]?.[0] ?? 'Invalid form.';
}
