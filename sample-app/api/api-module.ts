import { Module } from 'flagon';
import { PostApiController } from './post-api-controller';

/** The JSON API over the blog's posts. */
@Module({ controllers: [PostApiController] })
export class ApiModule {}
