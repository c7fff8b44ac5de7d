import { Module } from 'flagon';
import { BlogController } from './blog-controller';
import { Posts } from './posts';

/** flaskr's `blog` blueprint, mounted at `/`. */
@Module({ controllers: [BlogController], providers: [Posts] })
export class BlogModule {}
