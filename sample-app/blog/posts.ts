import type { Kysely } from 'kysely';
import { DATABASE, Inject, Injectable } from 'flagon';
import { Clock } from '../clock';
import type { BlogSchema } from '../schema';

export interface Post {
  readonly id: number;
  readonly title: string;
  readonly body: string;
  /** ISO 8601, UTC. */
  readonly created: string;
  readonly author_id: number;
  readonly username: string;
}

/** Posts on the index page. */
export const PAGE_SIZE = 10;

/** The `posts` table, joined with its author's name. */
@Injectable()
export class Posts {
  constructor(
    @Inject(DATABASE) private readonly db: Kysely<BlogSchema>,
    private readonly clock: Clock,
  ) {}

  /** Newest first; the id breaks ties between posts created in the same millisecond. */
  all(): Promise<Post[]> {
    return this.newestFirst().execute();
  }

  /** Page `page` (from 1) of the newest-first list, and how many pages there are. */
  async page(page: number): Promise<{ posts: Post[]; pageCount: number }> {
    const [posts, { count }] = await Promise.all([
      this.newestFirst()
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
        .execute(),
      this.db
        .selectFrom('posts')
        .select((eb) => eb.fn.countAll().as('count'))
        .executeTakeFirstOrThrow(),
    ]);
    // PostgreSQL's count() is a bigint, which node-postgres returns as a string.
    return { posts, pageCount: Math.ceil(Number(count) / PAGE_SIZE) };
  }

  find(id: number): Promise<Post | undefined> {
    return this.select().where('p.id', '=', id).executeTakeFirst();
  }

  async create(authorId: number, title: string, body: string): Promise<Post> {
    const { id } = await this.db
      .insertInto('posts')
      .values({ title, body, author_id: authorId, created: this.clock.now().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    return (await this.find(id)) as Post;
  }

  async update(id: number, title: string, body: string): Promise<void> {
    await this.db.updateTable('posts').set({ title, body }).where('id', '=', id).execute();
  }

  async delete(id: number): Promise<void> {
    await this.db.deleteFrom('posts').where('id', '=', id).execute();
  }

  private select() {
    return this.db
      .selectFrom('posts as p')
      .innerJoin('users as u', 'u.id', 'p.author_id')
      .select(['p.id', 'p.title', 'p.body', 'p.created', 'p.author_id', 'u.username']);
  }

  private newestFirst() {
    return this.select().orderBy('p.created', 'desc').orderBy('p.id', 'desc');
  }
}
